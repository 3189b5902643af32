using Promoter.Inputs;
using Promoter.Images;
using Promoter.Oci;
using Promoter.Archives;

namespace Promoter.Releases;

/// <summary>A release image built and ready to push (or, in a presubmit, only built).</summary>
/// <param name="Definition">The image definition it was built from.</param>
/// <param name="Tag">The tag it carries, <c>v&lt;version&gt;</c>.</param>
/// <param name="Image">The engine's image: <see cref="EngineImage.Location"/> is the archive (oci) or the local docker
/// image (docker); <see cref="EngineImage.ManifestDigest"/> is known before the push for the oci engine only.</param>
public sealed record BuiltReleaseImage(ReleaseImage Definition, string Tag, EngineImage Image)
{
    /// <summary>Where the build is (archive path or local docker image name).</summary>
    public string Location => Image.Location;

    /// <summary>The manifest digest it will have in a registry, when known before pushing; else null.</summary>
    public Digest? ManifestDigest => Image.ManifestDigest;
}

/// <summary>A release image in the staging registry.</summary>
/// <param name="Definition">The image definition.</param>
/// <param name="Reference">The reference pushed, e.g. <c>127.0.0.1:5000/cip-staging/promoter:v1.2.0</c>.</param>
/// <param name="Digest">The manifest digest the staging registry holds under that reference.</param>
public sealed record StagedReleaseImage(ReleaseImage Definition, string Reference, Digest Digest);

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

/// <summary>A release image could not be built or pushed; the message names the image and the cause.</summary>
public sealed class ReleaseBuildException : PromoterException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the image.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ReleaseBuildException(string message, Exception? inner = null) : base(message, inner) { }
}
