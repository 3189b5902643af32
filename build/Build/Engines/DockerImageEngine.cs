using Build.Tools.Docker;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Images;
using Promoter.Oci;
using Promoter.Registry;

namespace Build.Engines;

/// <summary>
/// The docker engine, KEP-2818's flow through the docker CLI: <c>docker load</c> (after verifying the archive in-process:
/// docker skips a layer whose chain it already has, so a corrupt archive could otherwise pass), <c>docker build</c> of a
/// Dockerfile, <c>docker tag</c> + <c>docker push</c> per tag, <c>docker manifest create/annotate/push --purge</c> per
/// index. Digests come from Docker's own layer compression, so with the same Docker they equal what upstream CIP's
/// push-golden script gives; they are read back from the registry after each push.
/// <para>Tagless images: Distribution 2.x cannot delete a tag, so instead of upstream's push-then-untag the image is pushed
/// under a scratch repository (<c>cip-scratch/…</c>), copied by digest into its repository (blobs mounted, manifest bytes
/// unchanged), and the scratch manifest is deleted.</para>
/// <para>Replays: pushing the same image to the same place again later in the run (an e2e case after a purge) puts the
/// manifest docker pushed the first time, byte for byte, when every blob it references is still there (a purge deletes
/// manifests, not blobs): the same digests without a second round of docker CLI calls.</para>
/// </summary>
/// <param name="context">Runs the docker CLI (Cake tool aliases) and logs.</param>
/// <param name="pool">The run's registry clients (addresses to push to, digests read back).</param>
/// <param name="repositoryRoot">Paths in build descriptions are shown relative to it.</param>
public sealed class DockerImageEngine(ICakeContext context, RegistryPool pool, string repositoryRoot) : IImageEngine
{
    /// <summary>The repository prefix (below the registry host) of the scratch pushes of tagless images.</summary>
    public const string ScratchPrefix = "cip-scratch";

    /// <summary>The local name prefix of images built from Dockerfiles.</summary>
    public const string LocalPrefix = "cip-release";

    /// <summary>A manifest docker pushed, kept for replays: the reference it was put under, its bytes and blobs.</summary>
    private sealed record Recorded(string Reference, ManifestContent Content, IReadOnlyList<(Digest Digest, long Size)> Blobs);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (List<Recorded> Manifests, IReadOnlyList<PushedReference> References)> _pushed =
        new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => "docker";

    /// <inheritdoc />
    public PushCounts? Counts => null;

    /// <inheritdoc />
    public Task<EngineImage> LoadAsync(string archivePath, string name, PushableImage? verified = null, CancellationToken cancellationToken = default)
    {
        // docker load takes docker save archives only: anything else (an OCI layout) is read here for its clear refusal.
        if (verified is not { ManifestMediaType: MediaTypes.DockerManifest }) verified = PushableImage.FromDockerArchive(archivePath);
        IReadOnlyList<string> loaded;
        try { loaded = context.DockerLoad(archivePath); }
        catch (CakeException exception)
        {
            throw new ImageEngineException($"{archivePath}: docker load of image '{name}' failed: {exception.Message}", exception);
        }
        if (loaded.Count == 0) throw new ImageEngineException($"{archivePath}: docker load reported no image.");
        context.Log.Information("docker load {0}: {1}", archivePath, loaded[0]);
        return Task.FromResult(new EngineImage(name, verified.Platform, loaded[0], null));
    }

    /// <inheritdoc />
    public string DescribeBuild(ImageBuildSpec spec)
    {
        var build = Require(spec);
        return $"{spec.Name} ({spec.Platform}): docker build --file {Relative(build.Dockerfile)} {Relative(build.Context)}";
    }

    /// <inheritdoc />
    public Task<EngineImage> BuildAsync(ImageBuildSpec spec, string outputFolder, CancellationToken cancellationToken = default)
    {
        var build = Require(spec);
        var local = $"{LocalPrefix}/{spec.Name}:{spec.Tag}";
        try { context.DockerBuild(build.Context, [local], build.Dockerfile, spec.Platform.ToString()); }
        catch (CakeException exception) { throw new ImageEngineException($"image {spec.Name}: {exception.Message}", exception); }
        return Task.FromResult(new EngineImage(spec.Name, spec.Platform, local, null));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PushedReference>> PushAsync(EngineImage image, PushTarget target, IProgress<ImagePushProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var key = $"{target.Registry}|{target.Repository}|{image.Location}|{string.Join(',', target.Tags)}";
        var path = RegistryPath.Parse(target.Registry);
        var client = pool.For(path.Host);
        var repository = path.RepositoryFor(target.Repository);
        if (_pushed.TryGetValue(key, out var earlier) && await TryReplayAsync(client, repository, earlier.Manifests, cancellationToken))
            return earlier.References;

        var address = pool.Resolve(path.Host).Address;
        var name = $"{target.Registry}/{target.Repository}";
        var references = new List<PushedReference>();
        try
        {
            foreach (var tag in target.Tags)
            {
                var pushTarget = $"{address}/{repository}:{tag}";
                context.DockerTag(image.Location, pushTarget);
                context.DockerPush(pushTarget);
                references.Add(await ResolveAsync(client, repository, tag, $"{name}:{tag}", cancellationToken));
                context.Log.Information("pushed {0}", pushTarget);
            }
            if (target.Tags.Count == 0)
                references.Add(await PushTaglessAsync(client, address, repository, image.Location, name, cancellationToken));
        }
        catch (CakeException exception)
        {
            throw new ImageEngineException($"{name}: docker failed: {exception.Message}", exception);
        }
        _pushed[key] = (await RecordAsync(client, repository, references, cancellationToken), references);
        progress?.Report(new ImagePushProgress(image.Name, 0, 0, true));
        return references;
    }

    /// <inheritdoc />
    public async Task<PushedReference> PushIndexAsync(IReadOnlyList<IndexChild> children, PushTarget target, CancellationToken cancellationToken = default)
    {
        if (target.Tags.Count != 1) throw new ArgumentException("An index is pushed under exactly one tag.", nameof(target));
        var path = RegistryPath.Parse(target.Registry);
        var client = pool.For(path.Host);
        var repository = path.RepositoryFor(target.Repository);
        var key = $"{target.Registry}|{target.Repository}|index|{target.Tags[0]}|{string.Join(',', children.Select(c => $"{c.Image.Location}={c.Platform}"))}";
        if (_pushed.TryGetValue(key, out var earlier) && await TryReplayAsync(client, repository, earlier.Manifests, cancellationToken))
            return earlier.References[0];

        var address = pool.Resolve(path.Host).Address;
        var insecure = RegistryPool.IsLoopback(address);
        var list = $"{address}/{repository}:{target.Tags[0]}";
        // Each child by the digest it has in this repository (pushed already): docker manifest takes name@digest references.
        var childReferences = new List<string>();
        foreach (var child in children)
        {
            var digest = child.Image.ManifestDigest ?? FindPushed(target.Registry, target.Repository, child.Image)
                ?? throw new ImageEngineException($"{list}: child {child.Image.Name} was not pushed to {target.Registry}/{target.Repository} in this run.");
            childReferences.Add($"{address}/{repository}@{digest}");
        }
        try
        {
            context.DockerManifestRemove(list);
            context.DockerManifestCreate(list, childReferences, insecure);
            foreach (var (child, reference) in children.Zip(childReferences))
                if (child.Platform is { } platform)
                    context.DockerManifestAnnotate(list, reference, platform.Os, platform.Architecture, platform.Variant);
            context.DockerManifestPush(list, insecure);
        }
        catch (CakeException exception)
        {
            throw new ImageEngineException($"{list}: docker manifest failed: {exception.Message}", exception);
        }
        context.Log.Information("pushed manifest list {0}", list);
        var pushed = await ResolveAsync(client, repository, target.Tags[0], $"{target.Registry}/{target.Repository}:{target.Tags[0]}", cancellationToken);
        _pushed[key] = (await RecordAsync(client, repository, [pushed], cancellationToken), [pushed]);
        return pushed;
    }

    /// <summary>The digest <paramref name="image"/> was pushed with into that registry and repository in this run, or null.</summary>
    private Digest? FindPushed(string registry, string repository, EngineImage image) =>
        _pushed.Where(p => p.Key.StartsWith($"{registry}|{repository}|{image.Location}|", StringComparison.Ordinal))
            .SelectMany(p => p.Value.References).Select(r => (Digest?)r.Digest).FirstOrDefault();

    /// <summary>Reads back every manifest of <paramref name="references"/>, for later replays.</summary>
    private static async Task<List<Recorded>> RecordAsync(RegistryClient client, string repository, IReadOnlyList<PushedReference> references,
        CancellationToken cancellationToken)
    {
        var manifests = new List<Recorded>();
        foreach (var reference in references)
        {
            var content = await client.GetManifestAsync(repository, reference.Digest.Value, cancellationToken);
            var document = content.Parse(reference.Reference);
            var at = reference.Reference.LastIndexOf('@');
            var tagOrDigest = at >= 0 ? reference.Digest.Value : reference.Reference[(reference.Reference.LastIndexOf(':') + 1)..];
            manifests.Add(new Recorded(tagOrDigest, content, document.Blobs.Select(b => (b.ParsedDigest, b.Size)).ToList()));
        }
        return manifests;
    }

    /// <summary>Puts the recorded manifests again when all their blobs are still in the repository; false when one is not.</summary>
    private async Task<bool> TryReplayAsync(RegistryClient client, string repository, List<Recorded> manifests, CancellationToken cancellationToken)
    {
        foreach (var (blob, size) in manifests.SelectMany(m => m.Blobs).Distinct())
        {
            // A HEAD with the size checked: a 0-byte or unreadable blob a crash left is not "still there".
            var check = await ServedContent.HeadBlobAsync(client, repository, blob, size, cancellationToken);
            if (check.State != ServedState.Served)
            {
                context.Log.Verbose("replay of the docker push to {0}/{1} impossible: blob {2} is {3}", client.Host, repository, blob,
                    check.Problem ?? "gone");
                return false;
            }
        }
        foreach (var manifest in manifests)
        {
            // Re-puts are read back like every manifest write (ManifestWriter): by digest, then under the tag.
            var content = manifest.Content;
            await ManifestWriter.PutAsync(client, repository, content.Digest.Value, content, ManifestPutGuard.Overwrite, cancellationToken);
            if (manifest.Reference != content.Digest.Value)
                await ManifestWriter.PutAsync(client, repository, manifest.Reference, content, ManifestPutGuard.Overwrite, cancellationToken);
        }
        context.Log.Verbose("re-put {0} manifest(s) docker pushed earlier in this run into {1}/{2}", manifests.Count, client.Host, repository);
        return true;
    }

    private static async Task<PushedReference> ResolveAsync(RegistryClient client, string repository, string tag, string name, CancellationToken cancellationToken)
    {
        var info = await client.HeadManifestAsync(repository, tag, cancellationToken)
                   ?? throw new ImageEngineException($"{name}: docker reported the push, but the registry has no such manifest.");
        return new PushedReference(name, info.Digest, info.MediaType);
    }

    private async Task<PushedReference> PushTaglessAsync(RegistryClient client, string address, string repository, string local, string name,
        CancellationToken cancellationToken)
    {
        var scratchRepository = $"{ScratchPrefix}/{repository}";
        // One scratch tag per local image: tagless images of one repository are pushed at once.
        var scratchTag = "tagless-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(local)))[..16];
        var scratch = $"{address}/{scratchRepository}:{scratchTag}";
        context.DockerTag(local, scratch);
        context.DockerPush(scratch);
        context.DockerRemoveImages([scratch]);

        var manifest = await client.GetManifestAsync(scratchRepository, scratchTag, cancellationToken);
        var document = manifest.Parse(scratch);
        var blobs = new BlobTransfer();
        foreach (var blob in document.Blobs)
            await blobs.CopyAsync(client, scratchRepository, client, repository, blob.ParsedDigest, blob.Size, cancellationToken);
        await ManifestWriter.PutAsync(client, repository, manifest.Digest.Value, manifest, ManifestPutGuard.Overwrite, cancellationToken);
        var digest = manifest.Digest;
        await client.DeleteManifestAsync(scratchRepository, manifest.Digest.Value, cancellationToken);
        context.Log.Information("pushed {0}@{1} (tagless)", $"{address}/{repository}", digest);
        return new PushedReference($"{name}@{digest}", digest, manifest.MediaType);
    }

    private static DockerfileBuild Require(ImageBuildSpec spec) =>
        spec.Dockerfile ?? throw new ImageEngineException($"image {spec.Name} has no 'docker:' build description; the docker engine cannot build it.");

    private string Relative(string path) => Path.GetRelativePath(repositoryRoot, path);
}
