using Build.Tools.Docker;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Images;
using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Publishing;
using Promoter.Registry;

namespace Build.Golden;

/// <summary>
/// The docker engine, KEP-2818's flow: <c>docker load</c> each archive, <c>docker tag</c> and <c>docker push</c> each
/// tag, <c>docker manifest create/annotate/push --purge</c> each manifest list. Digests come from Docker's own layer
/// compression, so with the same Docker they equal what upstream CIP's push-golden script gives.
/// Tagless images: Distribution 2.x cannot delete a tag, so instead of upstream's push-then-untag the image is pushed
/// under a scratch repository (<c>cip-scratch/…</c>), copied by digest into its repository (blobs mounted, manifest
/// bytes unchanged), and the scratch manifest is deleted.
/// </summary>
public sealed class DockerGoldenEngine : IGoldenEngine
{
    /// <summary>The repository prefix (below the registry host) of the scratch pushes of tagless images.</summary>
    public const string ScratchPrefix = "cip-scratch";

    /// <inheritdoc />
    public LoadedGolden Load(BuildContext context, GoldenSet set)
    {
        // Verify every archive in-process first, as the oci engine does: docker load skips a layer whose chain it
        // already has, so a corrupt archive of an image loaded before would otherwise pass unnoticed, and a bad
        // archive later in the set must stop the run before anything is loaded or pushed.
        new OciGoldenEngine().Load(context, set);

        var names = new Dictionary<string, string>();
        foreach (var image in set.Images)
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
        }
        return new LoadedGolden(set, new Dictionary<string, PushableImage>(), names);
    }

    /// <inheritdoc />
    public IReadOnlyList<PushedReference> Push(BuildContext context, LoadedGolden golden, string registryName)
    {
        var path = RegistryPath.Parse(registryName);
        var pool = context.Registries.Pool;
        var address = pool.Resolve(path.Host).Address;
        var insecure = RegistryPool.IsLoopback(address);
        var client = pool.For(path.Host);
        string Target(string repository) => $"{address}/{path.RepositoryFor(repository)}";

        var references = new List<PushedReference>();
        try
        {
            foreach (var image in golden.Set.Images)
            {
                var local = golden.DockerNames[image.Name];
                foreach (var tag in image.Tags)
                {
                    var target = $"{Target(image.Repository)}:{tag}";
                    context.DockerTag(local, target);
                    context.DockerPush(target);
                    references.Add(Resolve(client, path.RepositoryFor(image.Repository), tag, $"{registryName}/{image.Repository}:{tag}"));
                    context.Log.Information("pushed {0}", target);
                }
                if (image.Tagless)
                    references.Add(PushTagless(context, client, address, path.RepositoryFor(image.Repository), local, $"{registryName}/{image.Repository}"));
            }

            foreach (var list in golden.Set.ManifestLists)
            {
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
                references.Add(Resolve(client, path.RepositoryFor(list.Repository), list.Tag, $"{registryName}/{list.Repository}:{list.Tag}"));
                context.Log.Information("pushed manifest list {0}", target);
            }
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

    private static PushedReference PushTagless(BuildContext context, RegistryClient client, string address, string repository, string local, string name)
    {
        var scratchRepository = $"{ScratchPrefix}/{repository}";
        var scratchTag = "tagless";
        var scratch = $"{address}/{scratchRepository}:{scratchTag}";
        context.DockerTag(local, scratch);
        context.DockerPush(scratch);
        context.DockerRemoveImages([scratch]);

        var manifest = client.GetManifestAsync(scratchRepository, scratchTag).GetAwaiter().GetResult();
        var document = manifest.Parse(scratch);
        foreach (var blob in document.Blobs)
            RegistryClient.CopyBlobAsync(client, scratchRepository, client, repository, blob.ParsedDigest).GetAwaiter().GetResult();
        var digest = client.PutManifestAsync(repository, manifest.Digest.Value, manifest.Bytes, manifest.MediaType).GetAwaiter().GetResult();
        client.DeleteManifestAsync(scratchRepository, manifest.Digest.Value).GetAwaiter().GetResult();
        context.Log.Information("pushed {0}@{1} (tagless)", $"{address}/{repository}", digest);
        return new PushedReference($"{name}@{digest}", digest, manifest.MediaType);
    }
}
