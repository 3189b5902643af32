using Build.Host;
using Build.Incremental;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Restore;

namespace Build.Tasks;

/// <summary>The <c>Restore</c> task: restores the NuGet packages of the solution (skipped when no project or package file changed; --rebuild forces it).</summary>
[TaskName("Restore")]
[TaskDescription("Restores the NuGet packages of the solution (skipped when no project or package file changed; --rebuild forces it).")]
public sealed class RestoreTask : FrostingTask<BuildContext>
{
    /// <summary>The files a restore reads: the solution, the SDK pin, package versions and the project files.</summary>
    private static readonly string[] Inputs =
    [
        "Promoter.slnx", "global.json", "Directory.Build.props", "Directory.Packages.props", "build/CakeReferences.props",
        "build/Promoter/Promoter.csproj", "build/Build/Build.csproj", "tests/Promoter.Tests/Promoter.Tests.csproj",
        "tests/Build.Tests/Build.Tests.csproj",
    ];

    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        UpToDate.Run(context, "restore", Inputs, "up to date: no project or package file changed since the last restore",
            () => context.DotNetRestore(context.Solution.FullPath, new DotNetRestoreSettings { Verbosity = DotNetVerbosity.Minimal }));
}
