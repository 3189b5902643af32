using Cake.Core;

namespace Build.Host;

/// <summary>The context every Frosting task receives; build programs subclass <see cref="FrostingContext"/>.</summary>
public interface IFrostingContext : ICakeContext;

/// <summary>The default context: a <see cref="CakeContextAdapter"/> over the engine's <see cref="ICakeContext"/>.</summary>
public class FrostingContext(ICakeContext context) : CakeContextAdapter(context), IFrostingContext;
