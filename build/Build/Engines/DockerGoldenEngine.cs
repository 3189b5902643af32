using Build.Tools.Docker;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Images;
using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Publishing;
using Promoter.Registry;

namespace Build.Engines;

/// <summary>
/// The docker engine, KEP-2818's flow: <c>docker load</c> each archive, <c>docker tag</c> and <c>docker push</c> each
/// tag, <c>docker manifest create/annotate/push --purge</c> each manifest list. Digests come from Docker's own layer
/// compression, so with the same Docker they equal what upstream CIP's push-golden script gives.
/// Tagless images: Distribution 2.x cannot delete a tag, so instead of upstream's push-then-untag the image is pushed
/// under a scratch repository (<c>cip-scratch/…</c>), copied by digest into its repository (blobs mounted, manifest
/// bytes unchanged), and the scratch manifest is deleted.
/// Re-seeding the same registry later in the run (an e2e test after a purge) replays the manifests docker pushed the
/// first time, byte for byte, when every blob they reference is still there (a purge deletes manifests, not blobs):
/// the digests are the same, without a second round of docker CLI calls.
/// </summary>
public sealed class DockerGoldenEngine(ICakeContext context, RegistryPool pool) : IGoldenEngine
{
    /// <summary>A manifest docker pushed, kept for replays: repository, the reference it was put under, its bytes.</summary>
    private sealed record PushedManifest(string Repository, string Reference, ManifestContent Content, IReadOnlyList<Digest> Blobs);

    private readonly Dictionary<string, (List<PushedManifest> Manifests, List<PushedReference> References)> _pushed = new(StringComparer.Ordinal);

    /// <summary>The repository prefix (below the registry host) of the scratch pushes of tagless images.</summary>
    public const string ScratchPrefix = "cip-scratch";

    /// <inheritdoc />
    public LoadedGolden Load(GoldenSet set)
    {
        // Verify every archive in-process first, as the oci engine does: docker load skips a layer whose chain it
        // already has, so a corrupt archive of an image loaded before would otherwise pass unnoticed, and a bad
        // archive later in the set must stop the run before anything is loaded or pushed.
        new OciGoldenEngine(pool, context.Log).Load(set);

        // The archives are loaded at once: the daemon takes them in parallel, and each docker CLI call costs a process start.
        var names = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        RunAll(set.Images, image =>
        {
            IReadOnlyList<string> loaded;
            try { loaded = context.DockerLoad(image.ArchivePath); }
            catch (CakeException exception)
            {
                throw new CakeException($"{image.ArchivePath}: docker load of golden archive '{image.Name}' failed: {exception.Message}");
            }
            if (loaded.Count == 0)
                throw new CakeException($"{image.ArchivePath}: docker load reported no image.");
            names[image.Name] = loaded[0];
            context.Log.Information("docker load {0}: {1}", image.Archive, loaded[0]);
        });
        return new LoadedGolden(set, new Dictionary<string, PushableImage>(), new Dictionary<string, string>(names));
    }

    /// <inheritdoc />
    public IReadOnlyList<PushedReference> Push(LoadedGolden golden, string registryName)
    {
        if (_pushed.TryGetValue(registryName, out var earlier) && TryReplay(registryName, earlier.Manifests))
            return earlier.References;
        var references = PushWithDocker(golden, registryName);
        _pushed[registryName] = (Record(registryName, references), references.ToList());
        return references;
    }

    /// <summary>Reads back every manifest docker pushed (children of lists first), for later replays.</summary>
    private List<PushedManifest> Record(string registryName, IReadOnlyList<PushedReference> references)
    {
        var path = RegistryPath.Parse(registryName);
        var client = pool.For(path.Host);
        var manifests = new List<PushedManifest>();
        foreach (var reference in references)
        {
            var parsed = ImageReference.Parse(reference.Reference);
            var content = client.GetManifestAsync(parsed.Repository, reference.Digest.Value).GetAwaiter().GetResult();
            var document = content.Parse(reference.Reference);
            manifests.Add(new PushedManifest(parsed.Repository, parsed.Tag ?? reference.Digest.Value, content,
                document.Blobs.Select(b => b.ParsedDigest).ToList()));
        }
        return manifests;
    }

    /// <summary>Puts the recorded manifests again when all their blobs are still in the registry; false when one is not.</summary>
    private bool TryReplay(string registryName, List<PushedManifest> manifests)
    {
        var client = pool.For(RegistryPath.Parse(registryName).Host);
        foreach (var manifest in manifests)
        {
            foreach (var blob in manifest.Blobs)
            {
                if (client.HeadBlobAsync(manifest.Repository, blob).GetAwaiter().GetResult() is null)
                {
                    context.Log.Verbose("replay of the docker push to {0} impossible: blob {1} is gone", registryName, blob);
                    return false;
                }
            }
        }
        foreach (var manifest in manifests)
        {
            var content = manifest.Content;
            client.PutManifestAsync(manifest.Repository, content.Digest.Value, content.Bytes, content.MediaType).GetAwaiter().GetResult();
            if (manifest.Reference != content.Digest.Value)
                client.PutManifestAsync(manifest.Repository, manifest.Reference, content.Bytes, content.MediaType).GetAwaiter().GetResult();
        }
        context.Log.Information("re-seeded {0} with the {1} manifest(s) docker pushed earlier in this run", registryName, manifests.Count);
        return true;
    }

    private IReadOnlyList<PushedReference> PushWithDocker(LoadedGolden golden, string registryName)
    {
        var path = RegistryPath.Parse(registryName);
                var address = pool.Resolve(path.Host).Address;
        var insecure = RegistryPool.IsLoopback(address);
        var client = pool.For(path.Host);
        string Target(string repository) => $"{address}/{path.RepositoryFor(repository)}";

        var references = new List<PushedReference>();
        try
        {
            // Images are pushed at once (the daemon shares the upload of a layer two pushes need); each list starts as soon
            // as its own children are in, while other images may still be on their way.
            var images = golden.Set.Images.ToDictionary(i => i.Name, image => Task.Run(() =>
            {
                var local = golden.DockerNames[image.Name];
                var pushed = new List<PushedReference>();
                foreach (var tag in image.Tags)
                {
                    var target = $"{Target(image.Repository)}:{tag}";
                    context.DockerTag(local, target);
                    context.DockerPush(target);
                    pushed.Add(Resolve(client, path.RepositoryFor(image.Repository), tag, $"{registryName}/{image.Repository}:{tag}"));
                    context.Log.Information("pushed {0}", target);
                }
                if (image.Tagless)
                    pushed.Add(PushTagless(client, address, path.RepositoryFor(image.Repository), local, $"{registryName}/{image.Repository}"));
                return pushed;
            }));
            var lists = golden.Set.ManifestLists.Select(list => Task.Run(async () =>
            {
                await Task.WhenAll(list.Entries.Select(e => images[e.Image]));
                var target = $"{Target(list.Repository)}:{list.Tag}";
                var children = list.Entries.Select(e => $"{Target(list.Repository)}:{golden.Set.Image(e.Image).Tags[0]}").ToList();
                context.DockerManifestRemove(target);
                context.DockerManifestCreate(target, children, insecure);
                foreach (var (entry, child) in list.Entries.Zip(children))
                {
                    if (entry.Platform is { } platform)
                        context.DockerManifestAnnotate(target, child, platform.Os, platform.Architecture, platform.Variant);
                }
                context.DockerManifestPush(target, insecure);
                context.Log.Information("pushed manifest list {0}", target);
                return Resolve(client, path.RepositoryFor(list.Repository), list.Tag, $"{registryName}/{list.Repository}:{list.Tag}");
            })).ToList();

            // Wait for everything, then report in the set's order (images, then lists); the first failure is rethrown as is.
            try { Task.WaitAll([.. images.Values, .. lists]); }
            catch (AggregateException aggregate)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(aggregate.InnerExceptions[0]).Throw();
            }
            references.AddRange(golden.Set.Images.SelectMany(i => images[i.Name].Result));
            references.AddRange(lists.Select(l => l.Result));
        }
        catch (RegistryException exception)
        {
            throw new CakeException($"PushSrc to {registryName}: {exception.Message}");
        }
        return references;
    }

    private static PushedReference Resolve(RegistryClient client, string repository, string tag, string name)
    {
        var info = client.HeadManifestAsync(repository, tag).GetAwaiter().GetResult()
                   ?? throw new CakeException($"{name}: docker reported the push, but the registry has no such manifest.");
        return new PushedReference(name, info.Digest, info.MediaType);
    }

    private PushedReference PushTagless(RegistryClient client, string address, string repository, string local, string name)
    {
        var scratchRepository = $"{ScratchPrefix}/{repository}";
        var scratchTag = "tagless";
        var scratch = $"{address}/{scratchRepository}:{scratchTag}";
        context.DockerTag(local, scratch);
        context.DockerPush(scratch);
        context.DockerRemoveImages([scratch]);

        var manifest = client.GetManifestAsync(scratchRepository, scratchTag).GetAwaiter().GetResult();
        var document = manifest.Parse(scratch);
        var blobs = new BlobTransfer();
        foreach (var blob in document.Blobs)
            blobs.CopyAsync(client, scratchRepository, client, repository, blob.ParsedDigest, blob.Size).GetAwaiter().GetResult();
        var digest = client.PutManifestAsync(repository, manifest.Digest.Value, manifest.Bytes, manifest.MediaType).GetAwaiter().GetResult();
        client.DeleteManifestAsync(scratchRepository, manifest.Digest.Value).GetAwaiter().GetResult();
        context.Log.Information("pushed {0}@{1} (tagless)", $"{address}/{repository}", digest);
        return new PushedReference($"{name}@{digest}", digest, manifest.MediaType);
    }

    /// <summary>Runs <paramref name="action"/> for every item at once; the first failure is rethrown as it was thrown.</summary>
    private static void RunAll<T>(IEnumerable<T> items, Action<T> action)
    {
        try
        {
            Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = 4 }, action);
        }
        catch (AggregateException aggregate)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(aggregate.InnerExceptions[0]).Throw();
        }
    }
}
