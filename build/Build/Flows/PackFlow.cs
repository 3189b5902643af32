using Cake.Common.IO;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.MSBuild;
using Cake.Common.Tools.DotNet.Pack;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Promoter.Releases;

namespace Build.Flows;

/// <summary>The Pack task's work: the library and the Cake addin as NuGet packages.</summary>
public static class PackFlow
{
    /// <summary>The packed projects (relative to the repository root): the library first, then the addin that depends on it.</summary>
    public static readonly IReadOnlyList<string> Projects = ["build/Promoter/Promoter.csproj", "build/Cake.ImagePromoter/Cake.ImagePromoter.csproj"];

    /// <summary>
    /// Packs <see cref="Projects"/> with the version of the repository's <c>VERSION</c> file into <paramref name="output"/>,
    /// replacing the packages of an earlier pack there; logs each package written.
    /// </summary>
    /// <param name="cake">Runs the .NET CLI.</param>
    /// <param name="root">The repository root.</param>
    /// <param name="configuration">The MSBuild configuration.</param>
    /// <param name="output">The folder the .nupkg files go to (a folder feed).</param>
    /// <returns>The packages written.</returns>
    /// <exception cref="CakeException">VERSION is not a SemVer version, or the .NET CLI failed.</exception>
    public static IReadOnlyList<FilePath> Run(ICakeContext cake, DirectoryPath root, string configuration, DirectoryPath output)
    {
        var versionFile = root.CombineWithFilePath("VERSION").FullPath;
        ReleaseVersion version;
        try
        {
            version = ReleaseVersion.Parse(File.ReadAllText(versionFile), allowPrerelease: true, source: versionFile);
        }
        catch (FormatException exception)
        {
            throw new CakeException(exception.Message, exception);
        }
        cake.EnsureDirectoryExists(output);
        cake.DeleteFiles(cake.GetFiles(output.CombineWithFilePath("*.nupkg").FullPath));
        foreach (var project in Projects)
        {
            cake.DotNetPack(root.CombineWithFilePath(project).FullPath, new DotNetPackSettings
            {
                Configuration = configuration,
                OutputDirectory = output,
                Verbosity = DotNetVerbosity.Minimal,
                MSBuildSettings = new DotNetMSBuildSettings().SetVersion(version.Normalized),
            });
        }
        var packages = cake.GetFiles(output.CombineWithFilePath("*.nupkg").FullPath).OrderBy(f => f.FullPath, StringComparer.Ordinal).ToList();
        foreach (var package in packages) cake.Log.Information("packed {0}", package.FullPath);
        return packages;
    }
}
