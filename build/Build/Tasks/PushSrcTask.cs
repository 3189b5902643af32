using Build.Flows;
using Build.Host;
using Build.Settings;

namespace Build.Tasks;

/// <summary>Pushes the set <see cref="LoadTarballsTask"/> left in <c>context.Golden</c> through <see cref="GoldenFlow.Push"/>, failing with <see cref="InvalidOperationException"/> if it is missing.</summary>
[TaskName(TaskNames.PushSrc)]
[IsDependentOn(typeof(LoadTarballsTask))]
[TaskDescription("Pushes the golden set to the source registry (--registry=host/prefix, else a local one) with digests unchanged.")]
public sealed class PushSrcTask : FrostingTask<BuildContext>
{
    /// <summary>The path prefix of the source registry when the pipeline starts its own (upstream's staging project).</summary>
    public const string DefaultPrefix = "k8s-staging-cip-test";

    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        GoldenFlow.Push(context, context.Engine, context.Golden ?? throw new InvalidOperationException("LoadTarballs did not run."),
            context.Registries.SourceRegistry(context.Settings.Golden.SourceRegistry, DefaultPrefix), context.Registries.Pool);
}
