using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Promotion.Registries;

/// <summary>
/// Empties registry paths (<c>host[:port][/prefix]</c>) before an e2e test, as upstream's e2e driver wipes its test
/// registries (manifests/README.md §4): for each repository under the prefix (the prefix itself and <c>prefix/…</c>),
/// every manifest is deleted by digest (which also removes its tags), manifest lists / indexes first, then the rest,
/// repository by repository. Tagless manifests are found through the endpoint's
/// <see cref="RegistryEndpoint.StorageRoot"/> (see <see cref="RegistryInventory"/>); without one only manifests a tag
/// reaches can be found. Blobs are left to the registry's garbage collection.
/// <para>The safety line between a test and production: every registry of a call is checked before anything is
/// touched (no client is even created), and the whole call is refused when (a) a registry name is not exactly one of
/// <c>allowedRegistries</c> (the registries the e2e test file lists), or (b) its host resolves
/// (<see cref="RegistryPool.Resolve"/>) to an address that is not loopback, unless <c>allowNonLoopback</c> is set, or
/// (c) it overlaps one of <c>protectedRegistries</c> (the sources): the same registry host by
/// <see cref="RegistryHost.Identity"/> - by name or by the address it is served from, every loopback spelling being one
/// host - and one path inside the other, in either direction (<see cref="RegistryPath.Overlaps"/>).</para>
/// </summary>
/// <param name="pool">The registries (with the e2e runner's host aliases).</param>
/// <param name="allowedRegistries">The registry names that may be purged, compared exactly (ordinal).</param>
/// <param name="allowNonLoopback">Also purge registries served from non-loopback addresses.</param>
/// <param name="log">Receives one line per deleted manifest, or null.</param>
/// <param name="protectedRegistries">Registry names nothing may be purged from, not even through an overlapping name
/// (PurgeDest passes every source of the test file); null for none.</param>
public sealed class RegistryPurger(RegistryPool pool, IEnumerable<string> allowedRegistries, bool allowNonLoopback = false,
    Action<string>? log = null, IEnumerable<string>? protectedRegistries = null)
{
    private readonly HashSet<string> _allowed = new(allowedRegistries, StringComparer.Ordinal);
    private readonly List<string> _protected = (protectedRegistries ?? []).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The refusals for <paramref name="registryNames"/> (one line each, naming the registry and the rule), empty when
    /// all may be purged. Makes no request.
    /// </summary>
    public IReadOnlyList<string> Check(IEnumerable<string> registryNames)
    {
        var refusals = new List<string>();
        foreach (var name in registryNames)
        {
            if (!_allowed.Contains(name))
            {
                var allowed = _allowed.Count == 0 ? "none" : string.Join(", ", _allowed.Order(StringComparer.Ordinal));
                refusals.Add($"refusing to purge registry '{name}': it is not one of the registries the test lists (allowed: {allowed}).");
                continue;
            }
            RegistryPath path;
            try { path = RegistryPath.Parse(name); }
            catch (FormatException e)
            {
                refusals.Add($"refusing to purge registry '{name}': {e.Message}");
                continue;
            }
            var address = pool.Resolve(path.Host).Address;
            if (!allowNonLoopback && !RegistryPool.IsLoopback(address))
            {
                refusals.Add($"refusing to purge registry '{name}': it is served from {address}, which is not a loopback address (set allowNonLoopback to purge a remote registry).");
                continue;
            }
            if (_protected.FirstOrDefault(source => Overlaps(path, source)) is { } overlapped)
                refusals.Add($"refusing to purge registry '{name}': it overlaps the source registry '{overlapped}' (the same registry host, " +
                             "and one path inside the other); a source is never purged.");
        }
        return refusals;
    }

    /// <summary>True when <paramref name="path"/> and the registry <paramref name="other"/> can name the same repositories, by
    /// their names or by the addresses they are served from; a name that does not parse is treated as overlapping.</summary>
    private bool Overlaps(RegistryPath path, string other)
    {
        if (!RegistryPath.TryParse(other, out var otherPath, out _)) return true;
        if (path.Overlaps(otherPath)) return true;
        var served = path with { Host = RegistryHost.Parse(pool.Resolve(path.Host).Address).ToString() };
        var otherServed = otherPath with { Host = RegistryHost.Parse(pool.Resolve(otherPath.Host).Address).ToString() };
        return served.Overlaps(otherServed);
    }

    /// <summary>Purges every registry path of <paramref name="registryNames"/>, after checking them all.</summary>
    /// <param name="registryNames">Registry paths, e.g. <c>gcr.io/k8s-staging-cip-test</c>.</param>
    /// <param name="cancellationToken">Cancels the purge (what was deleted stays deleted).</param>
    /// <returns>The counts summed over all paths.</returns>
    /// <exception cref="PurgeRefusedException">A registry is refused (see the class remarks); nothing was touched.</exception>
    /// <exception cref="RegistryException">A listing or delete failed (the registry may be partly purged).</exception>
    public async Task<PurgeResult> PurgeAsync(IReadOnlyList<string> registryNames, CancellationToken cancellationToken = default)
    {
        var refusals = Check(registryNames);
        if (refusals.Count > 0) throw new PurgeRefusedException(refusals);
        var total = new PurgeResult(0, 0, 0);
        foreach (var name in registryNames.Distinct(StringComparer.Ordinal))
            total += await PurgeOneAsync(RegistryPath.Parse(name), cancellationToken);
        return total;
    }

    /// <summary>Purges one registry path; see <see cref="PurgeAsync(IReadOnlyList{string}, CancellationToken)"/>.</summary>
    /// <exception cref="PurgeRefusedException">The registry is refused; nothing was touched.</exception>
    /// <exception cref="RegistryException">A listing or delete failed.</exception>
    public Task<PurgeResult> PurgeAsync(string registryName, CancellationToken cancellationToken = default) =>
        PurgeAsync([registryName], cancellationToken);

    private async Task<PurgeResult> PurgeOneAsync(RegistryPath path, CancellationToken cancellationToken)
    {
        var client = pool.For(path.Host);
        var storageRoot = pool.Resolve(path.Host).StorageRoot;
        int repositories = 0, indexes = 0, manifests = 0;
        foreach (var repository in await RegistrySnapshotter.RepositoriesUnderAsync(client, path, cancellationToken))
        {
            var inventory = await RegistryInventory.ReadRepositoryAsync(client, repository, storageRoot: storageRoot,
                cancellationToken: cancellationToken);
            if (inventory.Manifests.Count == 0) continue;
            repositories++;
            // Lists / indexes first, then the rest, as upstream's e2e wipe does.
            foreach (var manifest in inventory.Manifests.OrderBy(m => MediaTypes.IsIndex(m.MediaType) ? 0 : 1))
            {
                if (!await DeleteAsync(client, repository, manifest.Digest, cancellationToken)) continue;
                if (MediaTypes.IsIndex(manifest.MediaType)) indexes++;
                else manifests++;
                log?.Invoke($"deleted {path.Host}/{repository}@{manifest.Digest} ({manifest.MediaType})");
            }
        }
        return new PurgeResult(repositories, indexes, manifests);
    }

    /// <summary>Deletes one manifest by digest; false when the registry no longer has it.</summary>
    private static async Task<bool> DeleteAsync(RegistryClient client, string repository, Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteManifestAsync(repository, digest.Value, cancellationToken);
            return true;
        }
        catch (RegistryException e) when (e.HasErrorCode("MANIFEST_UNKNOWN"))
        {
            return false;
        }
    }
}
