using Build.Flows;
using Build.Host;
using Build.Settings;

namespace Build.Tasks;

/// <summary>Sets <c>context.Golden</c> from <see cref="GoldenFlow.Load"/>, which <see cref="PushSrcTask"/> then requires.</summary>
[TaskName(TaskNames.LoadTarballs)]
[TaskDescription("Reads and verifies the golden archives (oci engine) or docker-loads them (docker engine).")]
public sealed class LoadTarballsTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        context.Golden = GoldenFlow.Load(context.Engine, context.Settings.Golden, context.Log);
}
