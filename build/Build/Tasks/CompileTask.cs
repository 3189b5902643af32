using Build.Host;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Build;

namespace Build.Tasks;

[TaskName("Compile")]
[IsDependentOn(typeof(RestoreTask))]
[TaskDescription("Builds the solution (--configuration, Release by default).")]
public sealed class CompileTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        context.DotNetBuild(context.Solution.FullPath, new DotNetBuildSettings
        {
            Configuration = context.BuildConfiguration,
            NoRestore = true,
            Verbosity = DotNetVerbosity.Minimal,
        });
}
