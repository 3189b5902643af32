using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>One manifest of a repository: its digest, media type and the tags pointing at it (empty for an index child).</summary>
/// <param name="Digest">The manifest digest.</param>
/// <param name="MediaType">The manifest media type.</param>
/// <param name="Tags">The tags pointing at it, sorted ordinally.</param>
public sealed record InventoryManifest(Digest Digest, string MediaType, IReadOnlyList<string> Tags);

/// <summary>One repository and its manifests, sorted by digest.</summary>
/// <param name="Repository">The repository path.</param>
/// <param name="Manifests">Every manifest found (see <see cref="RegistryInventory"/> for what can be found).</param>
public sealed record InventoryRepository(string Repository, IReadOnlyList<InventoryManifest> Manifests);

/// <summary>
/// Lists every repository of a registry with every manifest digest, its media type and its tags: the repositories
/// from <c>/v2/_catalog</c>, the tags from <c>tags/list</c> and a manifest HEAD per tag, and then the children of every
/// manifest list / OCI index found, recursively.
/// <para>Limitation: the distribution API cannot list manifests that no tag reaches. A manifest pushed by digest only
/// (and not referenced by a tagged index) is invisible here; so is a repository whose tags were all deleted.</para>
/// </summary>
public static class RegistryInventory
{
    /// <summary>Reads the inventory of every repository of <paramref name="client"/>'s registry, sorted by repository.</summary>
    /// <param name="client">The registry.</param>
    /// <param name="pageSize">The <c>n</c> of catalog and tag-list pages.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <exception cref="RegistryException">A listing or manifest request failed.</exception>
    public static async Task<IReadOnlyList<InventoryRepository>> ReadAsync(RegistryClient client, int pageSize = 100,
        CancellationToken cancellationToken = default)
    {
        var result = new List<InventoryRepository>();
        foreach (var repository in (await client.ListRepositoriesAsync(pageSize, cancellationToken)).Order(StringComparer.Ordinal))
            result.Add(await ReadRepositoryAsync(client, repository, pageSize, cancellationToken));
        return result;
    }

    /// <summary>Reads the inventory of one repository (a repository without tags gives no manifests).</summary>
    /// <exception cref="RegistryException">A listing or manifest request failed (other than the repository having no tags).</exception>
    public static async Task<InventoryRepository> ReadRepositoryAsync(RegistryClient client, string repository, int pageSize = 100,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> tags;
        try
        {
            tags = await client.ListTagsAsync(repository, pageSize, cancellationToken);
        }
        catch (RegistryException e) when (e.HasErrorCode("NAME_UNKNOWN"))
        {
            // Distribution answers NAME_UNKNOWN for a repository whose tags are all gone.
            tags = [];
        }

        var types = new Dictionary<Digest, string>();
        var tagsOf = new Dictionary<Digest, List<string>>();
        foreach (var tag in tags)
        {
            var info = await client.HeadManifestAsync(repository, tag, cancellationToken);
            if (info is null) continue; // deleted between the listing and the HEAD
            types[info.Digest] = info.MediaType;
            (tagsOf.TryGetValue(info.Digest, out var list) ? list : tagsOf[info.Digest] = []).Add(tag);
        }

        var pending = new Queue<Digest>(types.Keys.Where(d => MediaTypes.IsIndex(types[d])));
        var walked = new HashSet<Digest>();
        while (pending.TryDequeue(out var index))
        {
            if (!walked.Add(index)) continue;
            var content = await client.GetManifestAsync(repository, index.Value, cancellationToken);
            ManifestDocument document;
            try { document = content.Parse($"{client.Host}/{repository}@{index}"); }
            catch (FormatException e) { throw new RegistryException(e.Message, $"{client.Host}/{repository}@{index}", inner: e); }
            foreach (var child in document.Manifests)
            {
                var digest = child.ParsedDigest;
                types.TryAdd(digest, child.MediaType);
                if (MediaTypes.IsIndex(child.MediaType)) pending.Enqueue(digest);
            }
        }

        var manifests = types
            .OrderBy(p => p.Key.Value, StringComparer.Ordinal)
            .Select(p => new InventoryManifest(p.Key, p.Value,
                tagsOf.TryGetValue(p.Key, out var t) ? t.Order(StringComparer.Ordinal).ToList() : []))
            .ToList();
        return new InventoryRepository(repository, manifests);
    }
}
