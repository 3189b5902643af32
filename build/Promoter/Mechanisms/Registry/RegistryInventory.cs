using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>
/// Lists every repository of a registry with every manifest digest, its media type and its tags: the repositories
/// from <c>/v2/_catalog</c>, the tags from <c>tags/list</c> and a manifest HEAD per tag, and then the children of every
/// manifest list / OCI index found, recursively (each child confirmed with a HEAD).
/// <para>Through the API alone, manifests that no tag reaches cannot be listed: a manifest pushed by digest only (and
/// not referenced by a tagged index) is invisible. When the registry is a CNCF Distribution process whose filesystem
/// storage root is known, pass it as <c>storageRoot</c>: every manifest revision of the repository is then read from
/// the storage layout and confirmed with a HEAD, so tagless manifests are listed too.</para>
/// <para>The storage layout of distribution 2.8 (<c>docker-registry</c> 2.8.2, checked empirically):
/// <c>&lt;root&gt;/docker/registry/v2/repositories/&lt;repository&gt;/_manifests/revisions/sha256/&lt;hex&gt;/link</c>
/// exists for every manifest stored in the repository, tagged or not, and holds the text <c>sha256:&lt;hex&gt;</c>;
/// <c>_manifests/tags/&lt;tag&gt;/current/link</c> holds the digest a tag points at. A <c>DELETE</c> of a manifest by
/// digest removes its revision <c>link</c> file but leaves the empty <c>&lt;hex&gt;</c> folder behind, and removes the
/// folder of every tag on it (the <c>tags</c> folder stays, empty). Blobs and <c>_layers</c> links are left as they
/// were. A repository whose manifests were all deleted is still listed by <c>/v2/_catalog</c> (its folder stays), its
/// <c>tags/list</c> answers <c>"tags": null</c> (or <c>NAME_UNKNOWN</c> when it never had a tag), and a HEAD of a
/// deleted digest answers 404. So a revision counts only when its <c>link</c> file exists, and the HEAD decides.</para>
/// </summary>
public static class RegistryInventory
{
    /// <summary>Reads the inventory of every repository of <paramref name="client"/>'s registry, sorted by repository.</summary>
    /// <param name="client">The registry.</param>
    /// <param name="pageSize">The <c>n</c> of catalog and tag-list pages.</param>
    /// <param name="storageRoot">The filesystem storage root of a CNCF Distribution registry (its
    /// <c>storage.filesystem.rootdirectory</c>) to find tagless manifests through; null to use the API only.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <exception cref="RegistryException">A listing or manifest request failed, or the storage root does not exist.</exception>
    public static async Task<IReadOnlyList<InventoryRepository>> ReadAsync(RegistryClient client, int pageSize = 100,
        string? storageRoot = null, CancellationToken cancellationToken = default)
    {
        var result = new List<InventoryRepository>();
        foreach (var repository in (await client.ListRepositoriesAsync(pageSize, cancellationToken)).Order(StringComparer.Ordinal))
            result.Add(await ReadRepositoryAsync(client, repository, pageSize, storageRoot, cancellationToken));
        return result;
    }

    /// <summary>Reads the inventory of one repository (a repository without tags gives no manifests unless
    /// <paramref name="storageRoot"/> is given).</summary>
    /// <param name="client">The registry.</param>
    /// <param name="repository">The repository path.</param>
    /// <param name="pageSize">The <c>n</c> of tag-list pages.</param>
    /// <param name="storageRoot">See <see cref="ReadAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <exception cref="RegistryException">A listing or manifest request failed (other than the repository having no tags),
    /// or the storage root does not exist.</exception>
    public static async Task<InventoryRepository> ReadRepositoryAsync(RegistryClient client, string repository, int pageSize = 100,
        string? storageRoot = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> tags;
        try
        {
            tags = await client.ListTagsAsync(repository, pageSize, cancellationToken);
        }
        catch (RegistryException e) when (e.HasErrorCode("NAME_UNKNOWN"))
        {
            // Distribution answers NAME_UNKNOWN for a repository that has no tag folder (never tagged).
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

        if (storageRoot is not null)
        {
            foreach (var digest in StoredRevisions(storageRoot, repository))
            {
                if (types.ContainsKey(digest)) continue;
                var info = await client.HeadManifestAsync(repository, digest.Value, cancellationToken);
                if (info is not null) types[digest] = info.MediaType; // a 404 means it was deleted
            }
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
                if (types.ContainsKey(digest)) continue;
                // A child may have been deleted after its index was pushed; only what the registry serves is listed.
                var info = await client.HeadManifestAsync(repository, digest.Value, cancellationToken);
                if (info is null) continue;
                types[digest] = info.MediaType;
                if (MediaTypes.IsIndex(info.MediaType)) pending.Enqueue(digest);
            }
        }

        var manifests = types
            .OrderBy(p => p.Key.Value, StringComparer.Ordinal)
            .Select(p => new InventoryManifest(p.Key, p.Value,
                tagsOf.TryGetValue(p.Key, out var t) ? t.Order(StringComparer.Ordinal).ToList() : []))
            .ToList();
        return new InventoryRepository(repository, manifests);
    }

    /// <summary>
    /// The digests whose revision <c>link</c> file exists under <paramref name="storageRoot"/> for
    /// <paramref name="repository"/> (see the class remarks for the layout), sorted ordinally. A repository folder that
    /// does not exist gives none.
    /// </summary>
    /// <param name="storageRoot">The registry's filesystem storage root.</param>
    /// <param name="repository">The repository path, e.g. <c>library/foo</c>.</param>
    /// <exception cref="RegistryException">The storage root does not exist, the repository name is not a valid path, or a
    /// link file does not hold the digest its folder names.</exception>
    public static IReadOnlyList<Digest> StoredRevisions(string storageRoot, string repository)
    {
        if (!Directory.Exists(storageRoot))
            throw new RegistryException($"registry storage root '{storageRoot}' does not exist (expected the storage.filesystem.rootdirectory of a Distribution registry).");
        var segments = repository.Split('/');
        if (segments.Any(s => s.Length == 0 || s == "." || s == ".." || s.StartsWith('_')))
            throw new RegistryException($"'{repository}' is not a repository name (expected path components like library/foo).", repository);
        var revisions = Path.Combine([storageRoot, "docker", "registry", "v2", "repositories", .. segments, "_manifests", "revisions", "sha256"]);
        if (!Directory.Exists(revisions)) return [];
        var result = new List<Digest>();
        foreach (var folder in Directory.EnumerateDirectories(revisions))
        {
            var link = Path.Combine(folder, "link");
            if (!File.Exists(link)) continue; // a deleted revision leaves its folder without a link
            var text = File.ReadAllText(link).Trim();
            var expected = Digest.Sha256Prefix + Path.GetFileName(folder);
            if (!Digest.TryParse(text, out var digest) || digest.Value != expected)
                throw new RegistryException($"{link}: expected the digest {expected}, found '{text}'.", repository);
            result.Add(digest);
        }
        return result.OrderBy(d => d.Value, StringComparer.Ordinal).ToList();
    }
}
