using Build.Golden;
using Build.Host;
using Cake.Core.Diagnostics;

namespace Build.Tasks;

/// <summary>The <c>PushSrc</c> task: pushes the golden set to the source registry (--registry=host/prefix, else a local one) with digests unchanged.</summary>
[TaskName("PushSrc")]
[IsDependentOn(typeof(LoadTarballsTask))]
[TaskDescription("Pushes the golden set to the source registry (--registry=host/prefix, else a local one) with digests unchanged.")]
public sealed class PushSrcTask : FrostingTask<BuildContext>
{
    /// <summary>The path prefix of the source registry when the pipeline starts its own (upstream's staging project).</summary>
    public const string DefaultPrefix = "k8s-staging-cip-test";

    /// <inheritdoc />
    public override void Run(BuildContext context)
    {
        var golden = context.Golden ?? throw new InvalidOperationException("LoadTarballs did not run.");
        var source = context.Registries.SourceRegistry(context.Settings.Golden.SourceRegistry, DefaultPrefix);
        foreach (var pushed in GoldenEngines.For(context).Push(context, golden, source))
            context.Log.Information("{0} {1}", pushed.Reference, pushed.Digest);
    }
}
