using Build.Host;
using Build.Settings;
using Build.Flows;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Build;

namespace Build.Tasks;

/// <summary>Runs <c>dotnet build</c> of the solution, without restoring, through <see cref="UpToDate"/> with <c>Settings.Compile</c>; the user-facing text is its <c>[TaskDescription]</c>.</summary>
[TaskName(TaskNames.Compile)]
[IsDependentOn(typeof(RestoreTask))]
[TaskDescription("Builds the solution (--configuration, Release by default; skipped when no source changed, --rebuild forces it).")]
public sealed class CompileTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context)
    {
        var configuration = context.Settings.Compile.Configuration;
        UpToDate.Run(context.RepositoryRoot.FullPath, $"compile-{configuration}", SolutionLayout.CompileInputs, SolutionLayout.CompileOutputs(configuration),
            context.Settings.Compile.Rebuild, context.Log, "up to date: no source changed since the last successful compile",
            () => context.DotNetBuild(context.Solution.FullPath, new DotNetBuildSettings { Configuration = configuration, NoRestore = true, Verbosity = DotNetVerbosity.Minimal }));
    }
}
