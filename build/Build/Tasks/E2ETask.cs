using Build.Host;
using Build.Settings;
using Build.Flows;
using Build.Tools.OpenSsl;

namespace Build.Tasks;

/// <summary>Runs one <see cref="E2EFlow"/> with <c>Settings.E2E</c>, the run's engine, registries and (if LoadTarballs ran) loaded golden set, and the openssl tool for signature checks.</summary>
[TaskName(TaskNames.E2E)]
[IsDependentOn(typeof(CompileTask))]
[TaskDescription("Runs the e2e cases (--e2e-file) against registries the pipeline starts: loads the golden set, then per case purge, seed, snapshots before, promote, snapshots after.")]
public sealed class E2ETask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        new E2EFlow(context.Settings.E2E, context.Engine, context.Golden, context.Registries, context.Settings.Golden, context.Log, context.RepositoryRoot.FullPath, context.Artifacts?.FullPath,
            new OpenSslTool(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools)).Run();
}
