using Build.Host;
using Build.Incremental;
using Cake.Core.Diagnostics;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Build;

namespace Build.Tasks;

[TaskName("Compile")]
[IsDependentOn(typeof(RestoreTask))]
[TaskDescription("Builds the solution (--configuration, Release by default; skipped when no source changed, --rebuild forces it).")]
public sealed class CompileTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var inputs = SourceFingerprint.Compute(context.RepositoryRoot.FullPath, BuildContext.SolutionSources);
        if (!context.Rebuild && inputs.Matches(context.StampFile($"compile-{context.BuildConfiguration}")))
        {
            context.Log.Information("up to date: no source changed since the last successful compile");
            return;
        }

        context.DotNetBuild(context.Solution.FullPath, new DotNetBuildSettings
        {
            Configuration = context.BuildConfiguration,
            NoRestore = true,
            Verbosity = DotNetVerbosity.Minimal,
        });
        inputs.Save(context.StampFile($"compile-{context.BuildConfiguration}"));
    }
}
