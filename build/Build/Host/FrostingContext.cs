using Cake.Core;

namespace Build.Host;

/// <summary>The default context: a <see cref="CakeContextAdapter"/> over the engine's <see cref="ICakeContext"/>.</summary>
public class FrostingContext(ICakeContext context) : CakeContextAdapter(context), IFrostingContext
{
    /// <summary>True in a <c>--dryrun</c> run: Cake still calls the setup hooks, which must then change nothing.</summary>
    public bool IsDryRun { get; internal set; }
}
