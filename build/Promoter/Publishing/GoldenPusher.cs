using Promoter.Images;
using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Publishing;

/// <summary>One reference the push wrote (or found already in place), with the digest it resolves to.</summary>
/// <param name="Reference">e.g. <c>127.0.0.1:5000/k8s-staging-cip-test/golden-foo/foo:1.0</c>, or <c>...@sha256:…</c> for a tagless image.</param>
/// <param name="Digest">The manifest digest.</param>
/// <param name="MediaType">The manifest media type.</param>
public sealed record PushedReference(string Reference, Digest Digest, string MediaType);

/// <summary>What a golden push did.</summary>
/// <param name="References">Every reference of the set, in push order.</param>
/// <param name="BlobsUploaded">Blobs sent to the registry.</param>
/// <param name="BlobsPresent">Blobs the registry already had (not sent again).</param>
/// <param name="ManifestsPut">Manifests and tags written (ones already in place are not written again).</param>
public sealed record PushReport(IReadOnlyList<PushedReference> References, int BlobsUploaded, int BlobsPresent, int ManifestsPut);

/// <summary>Progress of one image of a push.</summary>
/// <param name="Image">The golden set's image name (or <c>repository:tag</c> for a manifest list).</param>
/// <param name="BytesDone">Blob bytes confirmed in the registry so far.</param>
/// <param name="BytesTotal">All blob bytes of the image.</param>
/// <param name="Done">True once the manifest and tags are written.</param>
public sealed record ImagePushProgress(string Image, long BytesDone, long BytesTotal, bool Done);

/// <summary>
/// The daemonless (<c>oci</c> engine) push of a golden set: every image's blobs, then its manifest by digest, then its
/// tags; then the manifest lists. The bytes pushed are the deterministic manifests of <see cref="PushableImage"/> and
/// <see cref="PushableIndex"/>, so every digest is a property of the archives alone. A manifest is put only after the
/// registry confirmed all its blobs (and, for a list, all its child manifests). Blobs, manifests and tags already in
/// place are not sent again, so a second push uploads nothing. Tagless images are put by digest only. Blobs go up
/// through a <see cref="BlobTransfer"/>: images pushed at once share blobs (the empty layer), and two uploads of one
/// blob into one repository race on Distribution's filesystem driver, so each is uploaded once and the others wait.
/// </summary>
/// <param name="client">The registry to push to.</param>
/// <param name="repositoryPrefix">The path every repository of the push lands under (may be empty).</param>
/// <param name="progress">Receives each image's progress; null for none.</param>
/// <param name="blobs">The run's blob transfer, to share its deduplication with other pushes; null for one of this pusher's own.</param>
public sealed class GoldenPusher(RegistryClient client, string repositoryPrefix, IProgress<ImagePushProgress>? progress = null,
    BlobTransfer? blobs = null)
{
    private int _uploaded, _present, _manifests;
    private readonly BlobTransfer _blobs = blobs ?? new BlobTransfer();

    /// <summary>The repository an image of the set lands in: <c>prefix/repository</c>.</summary>
    public string RepositoryFor(string repository) =>
        repositoryPrefix.Length == 0 ? repository : $"{repositoryPrefix.TrimEnd('/')}/{repository}";

    /// <summary>Pushes <paramref name="set"/>, whose archives were opened and verified into <paramref name="images"/>.</summary>
    /// <exception cref="RegistryException">The registry refused a request or could not be reached; nothing after the failure is written.</exception>
    public async Task<PushReport> PushAsync(GoldenSet set, IReadOnlyDictionary<string, PushableImage> images, CancellationToken cancellationToken = default)
    {
        // Images go up at once (each one blobs first, then its manifest); the lists follow once all their children are in.
        var pushed = await Task.WhenAll(set.Images.Select(entry =>
            PushImageAsync(entry.Name, entry.Repository, images[entry.Name], entry.Tags, cancellationToken)));
        var references = pushed.SelectMany(r => r).ToList();

        foreach (var list in set.ManifestLists)
        {
            var index = GoldenSet.BuildManifestList(list, images);
            var repository = RepositoryFor(list.Repository);
            foreach (var child in index.Manifests)
            {
                if (await client.HeadManifestAsync(repository, child.Digest, cancellationToken) is null)
                    throw new RegistryException(
                        $"{client.Host}/{repository}:{list.Tag}: child manifest {child.Digest} is not in the registry; the list was not put.",
                        $"{client.Host}/{repository}:{list.Tag}");
            }
            await PutAsync(repository, list.Tag, index.ManifestBytes, index.ManifestMediaType, index.ManifestDigest, cancellationToken);
            references.Add(new PushedReference($"{client.Host}/{repository}:{list.Tag}", index.ManifestDigest, index.ManifestMediaType));
            progress?.Report(new ImagePushProgress($"{list.Repository}:{list.Tag}", 0, 0, true));
        }
        return new PushReport(references, _uploaded, _present, _manifests);
    }

    /// <summary>
    /// Pushes one image: its blobs (those not yet in the repository), its manifest by digest, then each tag (unless it
    /// already resolves to the digest). With no tags the image is left by digest only.
    /// </summary>
    /// <param name="name">The image's name for progress reports.</param>
    /// <param name="repository">The repository below the prefix, e.g. <c>promoter</c>.</param>
    /// <param name="image">The image to push.</param>
    /// <param name="tags">The tags to leave on the manifest (may be empty).</param>
    /// <param name="cancellationToken">Cancels the push.</param>
    /// <returns>One reference per tag (<c>host/prefix/repository:tag</c>), or the single by-digest reference when there are no tags.</returns>
    /// <exception cref="RegistryException">The registry refused a request or could not be reached; nothing after the failure is written.</exception>
    public async Task<IReadOnlyList<PushedReference>> PushImageAsync(string name, string repository, PushableImage image,
        IReadOnlyList<string> tags, CancellationToken cancellationToken = default)
    {
        var references = new List<PushedReference>();
        var full = RepositoryFor(repository);
        await PushBlobsAsync(name, full, image, cancellationToken);
        await PutAsync(full, image.ManifestDigest.Value, image.ManifestBytes, image.ManifestMediaType, image.ManifestDigest, cancellationToken);
        if (tags.Count == 0)
            references.Add(new PushedReference($"{client.Host}/{full}@{image.ManifestDigest}", image.ManifestDigest, image.ManifestMediaType));
        foreach (var tag in tags)
        {
            await PutAsync(full, tag, image.ManifestBytes, image.ManifestMediaType, image.ManifestDigest, cancellationToken);
            references.Add(new PushedReference($"{client.Host}/{full}:{tag}", image.ManifestDigest, image.ManifestMediaType));
        }
        progress?.Report(new ImagePushProgress(name, Total(image), Total(image), true));
        return references;
    }

    private static long Total(PushableImage image) => image.Blobs.Sum(b => b.Descriptor.Size);

    private async Task PushBlobsAsync(string name, string repository, PushableImage image, CancellationToken cancellationToken)
    {
        var total = Total(image);
        long done = 0;
        foreach (var blob in image.Blobs)
        {
            switch (await _blobs.UploadAsync(client, repository, blob.Digest, blob.Descriptor.Size, blob.OpenRead, cancellationToken))
            {
                case BlobCopyOutcome.Uploaded: Interlocked.Increment(ref _uploaded); break;
                case BlobCopyOutcome.AlreadyPresent: Interlocked.Increment(ref _present); break;
                // Shared: another image of the run brought it and counted it.
            }
            done += blob.Descriptor.Size;
            progress?.Report(new ImagePushProgress(name, done, total, false));
        }
    }

    /// <summary>Puts the manifest under <paramref name="reference"/> unless it already resolves to <paramref name="digest"/>.</summary>
    private async Task PutAsync(string repository, string reference, byte[] bytes, string mediaType, Digest digest, CancellationToken cancellationToken)
    {
        var existing = await client.HeadManifestAsync(repository, reference, cancellationToken);
        if (existing?.Digest == digest) return;
        await client.PutManifestAsync(repository, reference, bytes, mediaType, cancellationToken);
        Interlocked.Increment(ref _manifests);
    }
}
