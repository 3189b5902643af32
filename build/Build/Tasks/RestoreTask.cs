using Build.Host;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Restore;

namespace Build.Tasks;

[TaskName("Restore")]
[TaskDescription("Restores the NuGet packages of the solution.")]
public sealed class RestoreTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        context.DotNetRestore(context.Solution.FullPath, new DotNetRestoreSettings { Verbosity = DotNetVerbosity.Minimal });
}
