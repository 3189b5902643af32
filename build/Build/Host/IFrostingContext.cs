using Cake.Core;

namespace Build.Host;

/// <summary>The context every Frosting task receives; build programs subclass <see cref="FrostingContext"/>.</summary>
public interface IFrostingContext : ICakeContext;
