using Build.Flows;
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
    public override void Run(BuildContext context) =>
        GoldenFlow.Push(context.Engine, context.Golden ?? throw new InvalidOperationException("LoadTarballs did not run."),
            context.Registries.SourceRegistry(context.Settings.Golden.SourceRegistry, DefaultPrefix), context.Log);
}
