using Build.Flows;
using Build.Host;

namespace Build.Tasks;

/// <summary>The <c>LoadTarballs</c> task: reads and verifies the golden archives (oci engine) or docker-loads them (docker engine).</summary>
[TaskName("LoadTarballs")]
[TaskDescription("Reads and verifies the golden archives (oci engine) or docker-loads them (docker engine).")]
public sealed class LoadTarballsTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        context.Golden = GoldenFlow.Load(context.Engine, context.Settings.Golden, context.Log);
}
