using Build.Host;
using Build.Incremental;
using Cake.Core.Diagnostics;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Restore;

namespace Build.Tasks;

[TaskName("Restore")]
[TaskDescription("Restores the NuGet packages of the solution (skipped when no project file changed; --rebuild forces it).")]
public sealed class RestoreTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var inputs = SourceFingerprint.Compute(context.RepositoryRoot.FullPath,
            ["Promoter.slnx", "global.json", "Directory.Build.props", "Directory.Packages.props", "build/CakeReferences.props",
             "build/Promoter/Promoter.csproj", "build/Build/Build.csproj", "tests/Promoter.Tests/Promoter.Tests.csproj",
             "tests/Build.Tests/Build.Tests.csproj"]);
        if (!context.Rebuild && inputs.Matches(context.StampFile("restore")))
        {
            context.Log.Information("up to date: no project or package file changed since the last restore");
            return;
        }

        context.DotNetRestore(context.Solution.FullPath, new DotNetRestoreSettings { Verbosity = DotNetVerbosity.Minimal });
        inputs.Save(context.StampFile("restore"));
    }
}
