using Cake.Core;

namespace Build.Host;

/// <summary>An asynchronous task over the plain <see cref="ICakeContext"/>.</summary>
public abstract class AsyncFrostingTask : AsyncFrostingTask<ICakeContext>;
