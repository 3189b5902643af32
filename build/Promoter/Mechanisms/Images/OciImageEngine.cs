using Promoter.Oci;
using Promoter.Registry;
using Promoter.Archives;

namespace Promoter.Images;

/// <summary>
/// The daemonless engine (<c>oci</c>): archives - <c>docker save</c> tarballs or OCI image-layout tarballs - are read and
/// verified in-process and pushed blob by blob: a <c>docker save</c> image with the deterministic manifest of
/// <see cref="PushableImage"/>, a layout's image with its stored manifest bytes, an index with the deterministic manifest
/// list of <see cref="PushableIndex"/>; so every digest is a property of the archive alone, not of a Docker version. Builds write a byte-reproducible <c>docker save</c> archive
/// (<see cref="DockerSaveWriter"/>: sorted entries, mtime 0, uid/gid 0, config dates 1970-01-01). A manifest is put only
/// after the registry confirmed all its blobs (an index: all its children); blobs, manifests and tags already in place
/// are not sent again. Blobs go through one <see cref="BlobTransfer"/> for the run, so images pushed at once share
/// uploads (two uploads of one blob into one repository race on Distribution's filesystem driver).
/// </summary>
/// <param name="registries">The run's registry clients.</param>
public sealed class OciImageEngine(RegistryPool registries) : IImageEngine
{
    private readonly BlobTransfer _blobs = new();
    private int _uploaded, _present, _manifests;

    /// <inheritdoc />
    public string Name => "oci";

    /// <inheritdoc />
    public PushCounts? Counts => new(_uploaded, _present, _manifests);

    /// <inheritdoc />
    public Task<EngineImage> LoadAsync(string archivePath, string name, PushableImage? verified = null, CancellationToken cancellationToken = default)
    {
        var image = verified ?? PushableImage.FromArchive(archivePath);
        return Task.FromResult(new EngineImage(name, image.Platform, archivePath, image.ManifestDigest) { Pushable = image });
    }

    /// <inheritdoc />
    public string DescribeBuild(ImageBuildSpec spec)
    {
        var build = Require(spec);
        return $"{spec.Name} ({spec.Platform}): FROM {build.BaseArchive ?? "scratch"}, {build.Layers.Count} layer(s) [oci, daemonless]";
    }

    /// <inheritdoc />
    public Task<EngineImage> BuildAsync(ImageBuildSpec spec, string outputFolder, CancellationToken cancellationToken = default)
    {
        var build = Require(spec);
        var archive = Path.Combine(outputFolder, $"{spec.Name.Replace('/', '_')}-{spec.Tag}.tar");
        try
        {
            var baseLayers = ReadBaseLayers(spec, build);
            var image = new DockerSaveImage(build.Layers, spec.Platform.Architecture, [$"{spec.Name}:{spec.Tag}"], spec.Platform.Os,
                CreatedBy: build.CreatedBy, Variant: spec.Platform.Variant, Entrypoint: build.Entrypoint);
            Directory.CreateDirectory(outputFolder);
            using (var output = new FileStream(archive, FileMode.Create, FileAccess.Write))
                DockerSaveWriter.Write(image, baseLayers, output);
            var pushable = PushableImage.FromDockerArchive(archive);
            return Task.FromResult(new EngineImage(spec.Name, pushable.Platform, archive, pushable.ManifestDigest) { Pushable = pushable });
        }
        catch (Exception exception) when (exception is ArgumentException or ImageArchiveException or IOException or UnauthorizedAccessException or Promoter.Inputs.InputFileException)
        {
            throw new ImageEngineException($"image {spec.Name}: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PushedReference>> PushAsync(EngineImage image, PushTarget target, IProgress<ImagePushProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var pushable = image.Pushable ?? PushableImage.FromDockerArchive(image.Location);
        var path = RegistryPath.Parse(target.Registry);
        var client = registries.For(path.Host);
        var repository = path.RepositoryFor(target.Repository);
        var name = $"{target.Registry}/{target.Repository}";

        var total = pushable.Blobs.Sum(b => b.Descriptor.Size);
        long done = 0;
        foreach (var blob in pushable.Blobs)
        {
            switch (await _blobs.UploadAsync(client, repository, blob.Digest, blob.Descriptor.Size, blob.OpenRead, cancellationToken))
            {
                case BlobCopyOutcome.Uploaded: Interlocked.Increment(ref _uploaded); break;
                case BlobCopyOutcome.AlreadyPresent: Interlocked.Increment(ref _present); break;
                // Shared: another image of the run brought it and counted it.
            }
            done += blob.Descriptor.Size;
            progress?.Report(new ImagePushProgress(image.Name, done, total, false));
        }

        var references = new List<PushedReference>();
        await PutAsync(client, repository, pushable.ManifestDigest.Value, pushable.ManifestBytes, pushable.ManifestMediaType, pushable.ManifestDigest, cancellationToken);
        if (target.Tags.Count == 0)
            references.Add(new PushedReference($"{name}@{pushable.ManifestDigest}", pushable.ManifestDigest, pushable.ManifestMediaType));
        foreach (var tag in target.Tags)
        {
            await PutAsync(client, repository, tag, pushable.ManifestBytes, pushable.ManifestMediaType, pushable.ManifestDigest, cancellationToken);
            references.Add(new PushedReference($"{name}:{tag}", pushable.ManifestDigest, pushable.ManifestMediaType));
        }
        progress?.Report(new ImagePushProgress(image.Name, total, total, true));
        return references;
    }

    /// <inheritdoc />
    public async Task<PushedReference> PushIndexAsync(IReadOnlyList<IndexChild> children, PushTarget target, CancellationToken cancellationToken = default)
    {
        if (target.Tags.Count != 1) throw new ArgumentException("An index is pushed under exactly one tag.", nameof(target));
        var index = PushableIndex.Create(children.Select(c =>
            new PushableIndexEntry(c.Image.Pushable ?? PushableImage.FromDockerArchive(c.Image.Location), c.Platform)).ToList());
        var path = RegistryPath.Parse(target.Registry);
        var client = registries.For(path.Host);
        var repository = path.RepositoryFor(target.Repository);
        var reference = $"{target.Registry}/{target.Repository}:{target.Tags[0]}";
        foreach (var child in index.Manifests)
        {
            if (await client.HeadManifestAsync(repository, child.Digest, cancellationToken) is null)
                throw new RegistryException($"{reference}: child manifest {child.Digest} is not in the registry; the list was not put.", reference);
        }
        await PutAsync(client, repository, target.Tags[0], index.ManifestBytes, index.ManifestMediaType, index.ManifestDigest, cancellationToken);
        return new PushedReference(reference, index.ManifestDigest, index.ManifestMediaType);
    }

    /// <summary>
    /// Puts the manifest under <paramref name="reference"/> unless it already resolves to <paramref name="digest"/>, then
    /// reads it back (<see cref="ManifestWriter"/>): a tag another writer moved meanwhile fails the push, naming both digests.
    /// </summary>
    private async Task PutAsync(RegistryClient client, string repository, string reference, byte[] bytes, string mediaType, Digest digest,
        CancellationToken cancellationToken)
    {
        var outcome = await ManifestWriter.PutAsync(client, repository, reference, new ManifestContent(bytes, mediaType, digest),
            ManifestPutGuard.Overwrite, cancellationToken);
        if (outcome == ManifestPutOutcome.Written) Interlocked.Increment(ref _manifests);
    }

    private static LayeredBuild Require(ImageBuildSpec spec) =>
        spec.Layered ?? throw new ImageEngineException($"image {spec.Name} has no daemonless (oci) build description; the oci engine cannot build it.");

    private static List<byte[]> ReadBaseLayers(ImageBuildSpec spec, LayeredBuild build)
    {
        if (build.BaseArchive is null) return [];
        var archive = DockerArchive.Open(build.BaseArchive);
        var baseImage = archive.Images[0];
        if (baseImage.Platform != spec.Platform)
            throw new ImageEngineException($"image {spec.Name}: the base {build.BaseArchive} is {baseImage.Platform}, but the image is built for {spec.Platform}.");
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
}
