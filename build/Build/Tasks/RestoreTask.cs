using Build.Host;
using Build.Settings;
using Build.Flows;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Restore;

namespace Build.Tasks;

/// <summary>Runs <c>dotnet restore</c> of the solution through <see cref="UpToDate"/>, keyed on the project and package files.</summary>
[TaskName(TaskNames.Restore)]
[TaskDescription("Restores the NuGet packages of the solution (skipped when no project or package file changed; --rebuild forces it).")]
public sealed class RestoreTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        UpToDate.Run(context.RepositoryRoot.FullPath, "restore", SolutionLayout.RestoreInputs, SolutionLayout.RestoreOutputs,
            context.Settings.Compile.Rebuild, context.Log, "up to date: no project or package file changed since the last restore",
            () => context.DotNetRestore(context.Solution.FullPath, new DotNetRestoreSettings { Verbosity = DotNetVerbosity.Minimal }));
}
