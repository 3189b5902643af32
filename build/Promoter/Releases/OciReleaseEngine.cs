using Promoter.Images;
using Promoter.Inputs;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Publishing;
using Promoter.Registry;

namespace Promoter.Releases;

/// <summary>
/// The daemonless release build (<c>oci</c> engine): each image is written as a <c>docker save</c> archive by
/// <see cref="GoldenImageWriter"/> - the base archive's layer tars unchanged (none for <c>scratch</c>), then one layer
/// per <see cref="ReleaseLayer"/> with sorted entries, mtime 0, uid/gid 0, files 0644 or 0755 (executable by the owner
/// in the source tree), config timestamps 1970-01-01 - and pushed blob by blob by <see cref="GoldenPusher"/> with the
/// deterministic manifest of <see cref="PushableImage"/>. The same sources give the same manifest digest on every machine.
/// The images of one engine share a <see cref="BlobTransfer"/>: a base layer two release images share goes up once.
/// </summary>
public sealed class OciReleaseEngine(RegistryPool registries) : IReleaseImageEngine
{
    private readonly BlobTransfer _blobs = new();

    /// <summary>The history <c>created_by</c> of release image layers.</summary>
    public const string CreatedBy = "build.sh --target PromoteRelease";

    private const int RegularMode = 0x1A4; // 0644
    private const int ExecutableMode = 0x1ED; // 0755

    /// <inheritdoc />
    public string Name => "oci";

    /// <inheritdoc />
    public string DescribeBuild(ReleaseImage image)
    {
        var build = Require(image);
        return $"{image.Repository} ({image.Platform}): FROM {build.Base}, " +
               string.Join(", ", build.Layers.Select(l => $"layer {l.Source} -> /{l.Target}")) + " [oci, daemonless]";
    }

    /// <inheritdoc />
    public Task<BuiltReleaseImage> BuildAsync(ReleaseImage image, string tag, string outputFolder, CancellationToken cancellationToken = default)
    {
        var build = Require(image);
        var archive = Path.Combine(outputFolder, $"{image.Repository.Replace('/', '_')}-{tag}.tar");
        try
        {
            var baseLayers = ReadBaseLayers(image, build);
            var layers = build.Layers.Select(ReadLayer).ToList();
            var golden = new GoldenImage(layers, image.Platform.Architecture, [$"{image.Repository}:{tag}"], image.Platform.Os,
                CreatedBy: CreatedBy, Variant: image.Platform.Variant, Entrypoint: build.Entrypoint);
            Directory.CreateDirectory(outputFolder);
            using (var output = new FileStream(archive, FileMode.Create, FileAccess.Write))
                GoldenImageWriter.Write(golden, baseLayers, output);
            var pushable = PushableImage.FromDockerArchive(archive);
            return Task.FromResult(new BuiltReleaseImage(image, tag, archive, pushable.ManifestDigest) { Pushable = pushable });
        }
        catch (Exception exception) when (exception is ArgumentException or ImageArchiveException or IOException or UnauthorizedAccessException)
        {
            throw new ReleaseBuildException($"release image {image.Repository}: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public async Task<StagedReleaseImage> PushAsync(BuiltReleaseImage image, string stagingRegistry, CancellationToken cancellationToken = default)
    {
        var pushable = image.Pushable ?? PushableImage.FromDockerArchive(image.Location);
        var path = RegistryPath.Parse(stagingRegistry);
        var pusher = new GoldenPusher(registries.For(path.Host), path.Prefix, blobs: _blobs);
        var pushed = await pusher.PushImageAsync(image.Definition.Repository, image.Definition.Repository, pushable, [image.Tag], cancellationToken);
        return new StagedReleaseImage(image.Definition, $"{stagingRegistry}/{image.Definition.Repository}:{image.Tag}", pushed[0].Digest);
    }

    private static OciReleaseBuild Require(ReleaseImage image) =>
        image.Oci ?? throw new ReleaseBuildException($"release image {image.Repository} (line {image.Line}) has no 'oci:' section; the oci engine cannot build it.");

    private static List<byte[]> ReadBaseLayers(ReleaseImage image, OciReleaseBuild build)
    {
        if (build.BaseArchivePath is null) return [];
        var archive = DockerArchive.Open(build.BaseArchivePath);
        var baseImage = archive.Images[0];
        if (baseImage.Platform != image.Platform)
            throw new ReleaseBuildException(
                $"release image {image.Repository}: the base {build.Base} is {baseImage.Platform}, but the image is defined for {image.Platform}.");
        var layers = new List<byte[]>();
        foreach (var layer in baseImage.Layers)
        {
            using var stream = archive.OpenLayer(layer);
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            layers.Add(buffer.ToArray());
        }
        return layers;
    }

    /// <summary>The files of one layer: a folder's files (recursively; empty folders are not kept) or the one file.</summary>
    private static GoldenLayer ReadLayer(ReleaseLayer layer)
    {
        string InImage(string relative) => layer.Target.Length == 0 ? relative : $"{layer.Target}/{relative}";
        if (File.Exists(layer.SourcePath))
            return new GoldenLayer([ReadFile(layer.SourcePath, InImage(Path.GetFileName(layer.SourcePath)))]);

        var files = new List<GoldenFile>();
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
        return new GoldenLayer(files);
    }

    private static GoldenFile ReadFile(string path, string pathInImage)
    {
        var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;
        return new GoldenFile(pathInImage, InputFile.ReadAllBytes(path, InputFile.MaxInMemoryBytes), executable ? ExecutableMode : RegularMode);
    }
}
