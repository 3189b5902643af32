using Promoter.Registry;
using Promoter.Oci;

namespace Promoter.Promotion.Registries;

/// <summary>
/// Takes a <see cref="Snapshot"/> of a registry path, as <c>cip run --snapshot=REG</c> does (manifests/README.md §3):
/// every repository under the path's prefix, recursively, each as an image named relative to the prefix with its
/// digests mapped to their sorted tags. Tagless digests map to <c>[]</c>; children of a manifest list / index are
/// sibling digests of the same image (with their own tags or <c>[]</c>); repositories without any digest are left out.
/// Unknown manifest media types are listed like the others.
/// </summary>
public static class RegistrySnapshotter
{
    /// <summary>
    /// Snapshots <paramref name="registryName"/> (<c>host[:port][/prefix]</c>, <see cref="RegistryPath.Parse"/>) through
    /// <paramref name="pool"/>'s client for the host. Repositories come from <c>/v2/_catalog</c>: those equal to
    /// <c>prefix/…</c> (every repository for a bare host). A repository named exactly the prefix has no image name
    /// relative to it and is left out. Tagless manifests are found through the endpoint's
    /// <see cref="RegistryEndpoint.StorageRoot"/> when it is known (see <see cref="RegistryInventory"/>); without it only
    /// manifests reachable from a tag are listed.
    /// </summary>
    /// <param name="pool">The registries; the host is resolved through its aliases.</param>
    /// <param name="registryName">The registry path to snapshot, e.g. <c>us.gcr.io/prod-root/golden-foo</c>.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The snapshot, sorted as <see cref="Snapshot.Sorted"/> (images by name, digests by digest, tags ordinally).</returns>
    /// <exception cref="FormatException"><paramref name="registryName"/> is not a registry name.</exception>
    /// <exception cref="RegistryException">The registry could not be listed.</exception>
    public static async Task<Snapshot> TakeAsync(RegistryPool pool, string registryName, CancellationToken cancellationToken = default)
    {
        var path = RegistryPath.Parse(registryName);
        var client = pool.For(path.Host);
        var storageRoot = pool.Resolve(path.Host).StorageRoot;
        var images = new List<ImageEntry>();
        foreach (var repository in await RepositoriesUnderAsync(client, path, cancellationToken))
        {
            if (repository.Length == path.Prefix.Length) continue; // the prefix itself: no relative image name
            var inventory = await RegistryInventory.ReadRepositoryAsync(client, repository, storageRoot: storageRoot,
                cancellationToken: cancellationToken);
            if (inventory.Manifests.Count == 0) continue;
            var name = path.Prefix.Length == 0 ? repository : repository[(path.Prefix.Length + 1)..];
            images.Add(new ImageEntry(name, inventory.Manifests.Select(m => new DigestTags(m.Digest.Value, m.Tags)).ToList()));
        }
        return new Snapshot(images).Sorted();
    }

    /// <summary>
    /// <see cref="TakeAsync(RegistryPool, string, CancellationToken)"/>, then kpromo's filters: only the digests carrying
    /// <paramref name="tag"/> (<c>--snapshot-tag</c>), and with <paramref name="minimal"/> (<c>--minimal-snapshot</c>)
    /// without the tagless digests that a manifest list of the registry refers to (each index is fetched once to read
    /// its children).
    /// </summary>
    /// <exception cref="FormatException"><paramref name="registryName"/> is not a registry name.</exception>
    /// <exception cref="RegistryException">The registry could not be listed or an index read.</exception>
    public static async Task<Snapshot> TakeAsync(RegistryPool pool, string registryName, string? tag, bool minimal,
        CancellationToken cancellationToken = default)
    {
        var snapshot = await TakeAsync(pool, registryName, cancellationToken);
        if (minimal)
        {
            var path = RegistryPath.Parse(registryName);
            var client = pool.For(path.Host);
            var storageRoot = pool.Resolve(path.Host).StorageRoot;
            var children = new HashSet<string>(StringComparer.Ordinal);
            foreach (var image in snapshot.Images)
            {
                var repository = path.Prefix.Length == 0 ? image.Name : $"{path.Prefix}/{image.Name}";
                var inventory = await RegistryInventory.ReadRepositoryAsync(client, repository, storageRoot: storageRoot, cancellationToken: cancellationToken);
                foreach (var index in inventory.Manifests.Where(m => MediaTypes.IsIndex(m.MediaType)))
                {
                    var content = await client.GetManifestAsync(repository, index.Digest.Value, cancellationToken);
                    foreach (var child in content.Parse($"{registryName}/{image.Name}@{index.Digest}").Manifests)
                        children.Add(child.ParsedDigest.Value);
                }
            }
            snapshot = snapshot.WithoutTaglessChildren(children);
        }
        return tag is null ? snapshot : snapshot.WithTag(tag);
    }

    /// <summary>
    /// The repositories of <paramref name="path"/>'s registry that lie under its prefix: the prefix itself and every
    /// repository starting with <c>prefix/</c> (all of them for a bare host), sorted ordinally.
    /// </summary>
    /// <exception cref="RegistryException">The catalog could not be listed.</exception>
    internal static async Task<IReadOnlyList<string>> RepositoriesUnderAsync(RegistryClient client, RegistryPath path,
        CancellationToken cancellationToken)
    {
        var all = await client.ListRepositoriesAsync(cancellationToken: cancellationToken);
        return all.Where(r => IsUnder(r, path.Prefix)).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>True when <paramref name="repository"/> is <paramref name="prefix"/> or below it (<c>prefix/…</c>).</summary>
    internal static bool IsUnder(string repository, string prefix) =>
        prefix.Length == 0
        || repository == prefix
        || (repository.Length > prefix.Length && repository.StartsWith(prefix, StringComparison.Ordinal) && repository[prefix.Length] == '/');
}
