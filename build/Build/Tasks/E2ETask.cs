using Build.Host;
using Cake.Core;

namespace Build.Tasks;

[TaskName("E2E")]
[IsDependentOn(typeof(CompileTask))]
[IsDependentOn(typeof(PushSrcTask))]
[IsDependentOn(typeof(PurgeDestTask))]
[TaskDescription("Runs the promoter's end-to-end cases against real registries.")]
public sealed class E2ETask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new CakeException("E2E is not implemented yet.");
}
