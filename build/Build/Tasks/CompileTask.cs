using Build.Host;
using Build.Incremental;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Build;

namespace Build.Tasks;

/// <summary>The <c>Compile</c> task: builds the solution (--configuration, Release by default; skipped when no source changed, --rebuild forces it).</summary>
[TaskName("Compile")]
[IsDependentOn(typeof(RestoreTask))]
[TaskDescription("Builds the solution (--configuration, Release by default; skipped when no source changed, --rebuild forces it).")]
public sealed class CompileTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        UpToDate.Run(context, $"compile-{context.Settings.Compile.Configuration}", BuildContext.SolutionSources,
            "up to date: no source changed since the last successful compile",
            () => context.DotNetBuild(context.Solution.FullPath, new DotNetBuildSettings
            {
                Configuration = context.Settings.Compile.Configuration,
                NoRestore = true,
                Verbosity = DotNetVerbosity.Minimal,
            }));
}
