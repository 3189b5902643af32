using Build.Golden;
using Build.Host;
using Build.Testing;

namespace Build.Tasks;

[TaskName("E2E")]
[IsDependentOn(typeof(CompileTask))]
[IsDependentOn(typeof(LoadTarballsTask))]
[TaskDescription("Runs the e2e cases (--e2e-file) against registries the pipeline starts: purge, seed, snapshots before, promote, snapshots after.")]
public sealed class E2ETask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        new E2ESession(context, context.Golden ?? throw new InvalidOperationException("LoadTarballs did not run.")).Run();
}
