using Promoter.Inputs;
using Promoter.Images;
using Promoter.Archives;

namespace Promoter.Releases;

/// <summary>Turns release image definitions into engine build specs (<see cref="ImageBuildSpec"/>).</summary>
public static class ReleaseBuilds
{
    /// <summary>The history <c>created_by</c> of daemonless release image layers.</summary>
    public const string CreatedBy = "build.sh --target PromoteRelease";

    private const int RegularMode = 0x1A4; // 0644
    private const int ExecutableMode = 0x1ED; // 0755

    /// <summary>
    /// The build spec of <paramref name="image"/> tagged <paramref name="tag"/>: its <c>oci:</c> section as layers of the
    /// source tree's files (0644, or 0755 when the owner may execute it; folders recursively, empty folders dropped), its
    /// <c>docker:</c> section as a Dockerfile build. Layer files are read only when the image has an <c>oci:</c> section.
    /// </summary>
    /// <exception cref="ReleaseBuildException">A layer source holds a symbolic link, or a folder holds no file.</exception>
    public static ImageBuildSpec Spec(ReleaseImage image, string tag)
    {
        LayeredBuild? layered = null;
        if (image.Oci is { } oci)
            layered = new LayeredBuild(oci.BaseArchivePath, oci.Layers.Select(ReadLayer).ToList(), oci.Entrypoint, CreatedBy);
        var docker = image.Docker is { } d ? new DockerfileBuild(d.DockerfilePath, d.ContextPath) : null;
        return new ImageBuildSpec(image.Repository, tag, image.Platform, layered, docker);
    }

    /// <summary>The files of one layer: a folder's files (recursively; empty folders are not kept) or the one file.</summary>
    private static LayerSpec ReadLayer(ReleaseLayer layer)
    {
        string InImage(string relative) => layer.Target.Length == 0 ? relative : $"{layer.Target}/{relative}";
        if (File.Exists(layer.SourcePath))
            return new LayerSpec([ReadFile(layer.SourcePath, InImage(Path.GetFileName(layer.SourcePath)))]);

        var files = new List<LayerFile>();
        foreach (var path in Directory.EnumerateFileSystemEntries(layer.SourcePath, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
                throw new ReleaseBuildException($"layer {layer.Source}: {path} is a symbolic link; release layers hold regular files only.");
            if (Directory.Exists(path)) continue;
            var relative = Path.GetRelativePath(layer.SourcePath, path).Replace(Path.DirectorySeparatorChar, '/');
            files.Add(ReadFile(path, InImage(relative)));
        }
        if (files.Count == 0)
            throw new ReleaseBuildException($"layer {layer.Source}: the folder {layer.SourcePath} holds no file.");
        return new LayerSpec(files);
    }

    private static LayerFile ReadFile(string path, string pathInImage)
    {
        var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;
        return new LayerFile(pathInImage, InputFile.ReadAllBytes(path, InputFile.MaxInMemoryBytes), executable ? ExecutableMode : RegularMode);
    }
}
