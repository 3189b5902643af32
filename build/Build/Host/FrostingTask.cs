using Cake.Core;

namespace Build.Host;

/// <summary>A synchronous task over the plain <see cref="ICakeContext"/>.</summary>
public abstract class FrostingTask : FrostingTask<ICakeContext>;
