using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Promotion.Engine;

/// <summary>
/// Decides, for every edge, what a promotion must do, by asking the source and destination registries
/// (HEAD requests only; nothing is written). The rules are upstream CIP's (build/Promoter/UseCases/Promotion/README.md):
/// a tag already on the wanted digest is left alone, a digest already present only gains its tag,
/// a missing digest is copied, a tag on another digest is refused unless tag moves are allowed,
/// and a digest missing from the source is reported as lost.
/// </summary>
/// <remarks>
/// The edges are grouped before anything is asked: by source (registry address, repository, digest), each asked once,
/// and by destination (registry address, repository, digest), each group asked as a unit: its tags by tag (a tag
/// answering the wanted digest proves the digest present), then the digest itself only when no tag proved it and an
/// edge still needs to know (a tagless edge, a tag absent or on another digest). So no (registry, repository, reference)
/// is asked twice in a plan, whatever order the answers come in, and a no-op costs one HEAD per destination tag (or
/// tagless digest) plus one per source digest. Once a tag answers 404 while two or more tags of the group are to be asked, the
/// destination repository's tags are listed (once per plan) and the tags the listing lacks are absent without a HEAD:
/// a new image with ten tags costs a HEAD and a listing, not ten HEADs. Only the groups and one decision per edge are kept; no answer cache
/// outlives the plan.
/// </remarks>
internal sealed class PromotionPlanner(RegistryPool registries, PromotionPolicy policy)
{
    /// <summary>The page size of a destination repository's tag listing (<c>tags/list?n=</c>).</summary>
    internal const int TagPageSize = 1000;

    /// <summary>
    /// Destination repositories' tags, listed once per plan (by registry address and repository) when a tag HEAD answered
    /// 404 and two or more tags of the repository were still to be asked: a tag the listing lacks is absent without a HEAD of its
    /// own. Null when the listing failed (then every tag is asked).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), Lazy<Task<TagListing?>>> _listed = new();

    /// <summary>
    /// Destination repositories (<c>address/repository</c>) that hold nothing: their tag listing answered 404
    /// <c>NAME_UNKNOWN</c> and the registry's catalog does not list them. The plan asks no digest of them, and the executor
    /// sends blobs into them without asking first (<see cref="PromotionPlan.NewRepositories"/>).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _empty = new(StringComparer.Ordinal);

    /// <summary>
    /// Each destination registry's catalog (by address), read once per plan and only when a tag listing answered
    /// <c>NAME_UNKNOWN</c>; null when the registry refused or failed it (then no repository counts as empty).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<HashSet<string>?>>> _catalogs = new(StringComparer.Ordinal);

    /// <summary>Source manifests the plan fetched whole (for an empty destination) instead of asking a HEAD, by digest.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Digest, ManifestContent> _sourceManifests = new();

    /// <summary>
    /// The source manifests this plan fetched whole (sha256-verified), by digest: those bound for a destination repository
    /// that held nothing, whose copy needs the bytes anyway (<see cref="EgressPlanner"/> starts with them).
    /// </summary>
    public IReadOnlyDictionary<Digest, ManifestContent> SourceManifests => _sourceManifests;

    /// <summary>A destination repository's tags as listed, and whether it holds nothing at all (no tag, no blob, no manifest).</summary>
    private sealed record TagListing(HashSet<string> Tags, bool RepositoryEmpty);

    /// <summary>One source digest: asked once for every destination group that copies it.</summary>
    private sealed class SourceGroup(ImageReference reference)
    {
        public ImageReference Reference { get; } = reference;
        /// <summary>The key of <see cref="PromotionPlan.SourceMediaTypes"/>: <c>address/repository@digest</c>.</summary>
        public required string Key { get; init; }
        public Lazy<Task<bool>>? Present;
    }

    /// <summary>The edges of one source digest bound for one destination repository (by registry address).</summary>
    private sealed class DestinationGroup(SourceGroup source, ImageReference repository, Digest digest)
    {
        public SourceGroup Source { get; } = source;
        /// <summary>The destination repository, by digest.</summary>
        public ImageReference ByDigest { get; } = repository;
        public Digest Digest { get; } = digest;
        /// <summary>Indexes of the group's edges in the plan's edge list.</summary>
        public List<int> Edges { get; } = new(4);
    }

    /// <summary>Plans <paramref name="edges"/>.</summary>
    /// <exception cref="Promoter.Registry.RegistryException">A registry could not be asked (refused connection, 401, ...).</exception>
    public async Task<PromotionPlan> PlanAsync(IReadOnlyList<PromotionEdge> edges, CancellationToken cancellationToken = default)
    {
        var planned = new PlannedEdge[edges.Count];
        // A destination tag claimed by two digests reaches the planner only when the load kept overlaps (--isolate-edges):
        // each claim is refused without asking a registry.
        var claims = PromotionRules.Overlaps(edges);
        if (claims.Count > 0)
            for (var i = 0; i < edges.Count; i++)
                if (claims.TryGetValue(edges[i], out var other))
                    planned[i] = PromotionRules.Overlap(edges[i], other);
        var groups = Group(edges, claims.Count == 0 ? _ => true : i => !claims.ContainsKey(edges[i]));
        policy.Progress?.Decided(claims.Count);
        var unserved = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var mediaTypes = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(groups,
            new ParallelOptions { MaxDegreeOfParallelism = policy.PlanRequests, CancellationToken = cancellationToken },
            async (group, ct) =>
            {
                await PlanGroupAsync(edges, planned, group, unserved, mediaTypes, ct);
                policy.Progress?.Decided(group.Edges.Count);
            });
        return new PromotionPlan(planned)
        {
            Unserved = unserved.ToDictionary(),
            SourceMediaTypes = mediaTypes.ToDictionary(),
            NewRepositories = _empty.Keys.ToHashSet(StringComparer.Ordinal),
        };
    }

    /// <summary>The destination groups of the edges <paramref name="include"/> keeps (by index), in the order their first
    /// edge comes in <paramref name="edges"/>.</summary>
    private List<DestinationGroup> Group(IReadOnlyList<PromotionEdge> edges, Func<int, bool> include)
    {
        var paths = new Dictionary<string, (RegistryPath Path, string Address)>(StringComparer.Ordinal);
        var sources = new Dictionary<(string, string, string), SourceGroup>();
        var destinations = new Dictionary<(string, string, string), DestinationGroup>();
        var ordered = new List<DestinationGroup>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < edges.Count; i++)
        {
            if (!include(i)) continue;
            var edge = edges[i];
            var (sourcePath, sourceAddress) = PathOf(paths, edge.SourceRegistry);
            var (destinationPath, destinationAddress) = PathOf(paths, edge.DestinationRegistry);
            // One string per repository name: ten destination registries under one path prefix share theirs.
            var sourceRepository = Pooled(names, sourcePath.RepositoryFor(edge.SourceImage));
            var destinationRepository = Pooled(names, destinationPath.RepositoryFor(edge.DestinationImage));
            if (!destinations.TryGetValue((destinationAddress, destinationRepository, edge.Digest), out var group))
            {
                var digest = Digest.Parse(edge.Digest);
                if (!sources.TryGetValue((sourceAddress, sourceRepository, edge.Digest), out var source))
                    sources.Add((sourceAddress, sourceRepository, edge.Digest),
                        source = new SourceGroup(new ImageReference(sourcePath.Host, sourceRepository, Digest: digest))
                        {
                            Key = $"{sourceAddress}/{sourceRepository}@{edge.Digest}",
                        });
                group = new DestinationGroup(source, new ImageReference(destinationPath.Host, destinationRepository, Digest: digest), digest);
                destinations.Add((destinationAddress, destinationRepository, edge.Digest), group);
                ordered.Add(group);
            }
            group.Edges.Add(i);
        }
        return ordered;
    }

    /// <summary>The string of <paramref name="pool"/> equal to <paramref name="name"/>, added when new.</summary>
    private static string Pooled(Dictionary<string, string> pool, string name)
    {
        if (pool.TryGetValue(name, out var known)) return known;
        pool.Add(name, name);
        return name;
    }

    private (RegistryPath, string) PathOf(Dictionary<string, (RegistryPath, string)> paths, string registryName)
    {
        if (paths.TryGetValue(registryName, out var known)) return known;
        var path = RegistryPath.Parse(registryName);
        return paths[registryName] = (path, registries.Resolve(path.Host).Address);
    }

    private async Task PlanGroupAsync(IReadOnlyList<PromotionEdge> edges, PlannedEdge[] planned, DestinationGroup group,
        System.Collections.Concurrent.ConcurrentDictionary<string, string> unserved,
        System.Collections.Concurrent.ConcurrentDictionary<string, string> mediaTypes, CancellationToken cancellationToken)
    {
        var source = group.Source;
        var client = registries.For(group.ByDigest.Registry);
        // Once the plan has read a destination registry's catalog (a repository of it turned out new), a repository the
        // catalog lacks holds nothing: its edges are decided without a request (the executor's tag listing and read-back
        // still guard the tags against a writer that comes meanwhile).
        var address = registries.Resolve(group.ByDigest.Registry).Address;
        var empty = _catalogs.TryGetValue(address, out var catalogLoad) && await catalogLoad.Value is { } catalog
                    && !catalog.Contains(group.ByDigest.Repository);
        // The source is asked once for all its destinations: by a HEAD, or by a GET when the first destination to ask is
        // empty (the manifest is then copied, and the executor needs its bytes anyway: SourceManifests).
        if (source.Present is null) Interlocked.CompareExchange(ref source.Present, new Lazy<Task<bool>>(async () =>
        {
            var from = registries.For(source.Reference.Registry);
            if (empty)
            {
                try
                {
                    var content = await from.GetManifestAsync(source.Reference.Repository, source.Reference.ManifestReference, cancellationToken);
                    _sourceManifests.TryAdd(content.Digest, content);
                    if (content.MediaType.Length > 0) mediaTypes[source.Key] = content.MediaType;
                    return true;
                }
                catch (RegistryException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    return false;
                }
            }
            var head = await from.HeadManifestAsync(source.Reference.Repository, source.Reference.ManifestReference, cancellationToken);
            if (head is not null && head.MediaType.Length > 0) mediaTypes[source.Key] = head.MediaType;
            return head is not null;
        }), null);
        if (!await source.Present!.Value)
        {
            foreach (var i in group.Edges) planned[i] = PromotionRules.Decide(edges[i], group.Digest, new EdgeView(false, null, false), policy.AllowTagMoves);
            return;
        }
        if (empty)
        {
            _empty.TryAdd($"{address}/{group.ByDigest.Repository}", 0);
            foreach (var i in group.Edges) planned[i] = PromotionRules.Decide(edges[i], group.Digest, new EdgeView(true, null, false), policy.AllowTagMoves);
            return;
        }

        // The tags first, one after another (the plan's parallelism is across groups): a tag on the wanted digest
        // also proves the digest present, so the common case of a promotion run again costs one HEAD per tag.
        // A tag answering 404 makes the repository's tag listing worth its one request when two or more tags are still to
        // be asked (a new image, or new tags on a repository): the tags it lacks are absent without a HEAD each.
        var tagged = new Dictionary<string, Digest?>(group.Edges.Count, StringComparer.Ordinal);
        var digestPresent = false;
        var toAsk = group.Edges.Select(i => edges[i].Tag).OfType<string>().Distinct(StringComparer.Ordinal).Count();
        TagListing? listed = null;
        var listAsked = false;
        foreach (var i in group.Edges)
        {
            if (edges[i].Tag is not { } tag || tagged.ContainsKey(tag)) continue;
            toAsk--;
            if (listed is not null && !listed.Tags.Contains(tag))
            {
                tagged[tag] = null;
                continue;
            }
            var answer = await DestinationHeadAsync(client, group.ByDigest, tag, unserved, cancellationToken);
            tagged[tag] = answer;
            digestPresent |= answer == group.Digest;
            if (PromotionRules.ListTags(answer, toAsk, listAsked))
            {
                listAsked = true;
                listed = await ListedTagsAsync(client, group.ByDigest, cancellationToken);
            }
        }
        if (PromotionRules.NeedsDigestHead(digestPresent, listed?.RepositoryEmpty == true,
                group.Edges.Select(i => edges[i].Tag is not { } tag || tagged[tag] != group.Digest)))
            digestPresent = await DestinationHeadAsync(client, group.ByDigest, group.Digest.Value, unserved, cancellationToken) is not null;

        foreach (var i in group.Edges)
        {
            var edge = edges[i];
            var view = new EdgeView(true, edge.Tag is { } tag ? tagged[tag] : null, digestPresent);
            planned[i] = PromotionRules.Decide(edge, group.Digest, view, policy.AllowTagMoves);
        }
    }
    /// <summary>
    /// The tags of the destination repository, listed once per plan; no tags on a 404, and
    /// <see cref="TagListing.RepositoryEmpty"/> when it is <c>NAME_UNKNOWN</c> and the catalog lacks the repository too;
    /// null when the listing failed otherwise (the caller then asks each tag, which reports the failure itself).
    /// </summary>
    private Task<TagListing?> ListedTagsAsync(RegistryClient client, ImageReference repository, CancellationToken cancellationToken) =>
        _listed.GetOrAdd((registries.Resolve(repository.Registry).Address, repository.Repository), key => new Lazy<Task<TagListing?>>(async () =>
        {
            try
            {
                var tags = await client.ListTagsAsync(repository.Repository, TagPageSize, cancellationToken);
                return new TagListing(new HashSet<string>(tags, StringComparer.Ordinal), false);
            }
            catch (RegistryException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // NAME_UNKNOWN means "no tags" on Distribution, which says so of a repository an interrupted run left
                // blobs and manifests in; its catalog lists every repository holding a blob link, so a repository
                // missing from both holds nothing.
                var empty = e.HasErrorCode("NAME_UNKNOWN")
                            && await CatalogAsync(client, key.Item1, cancellationToken) is { } catalog && !catalog.Contains(repository.Repository);
                if (empty) _empty.TryAdd($"{key.Item1}/{key.Item2}", 0);
                return new TagListing(new HashSet<string>(StringComparer.Ordinal), empty);
            }
            catch (RegistryException e)
            {
                policy.Log?.Invoke(PromotionLogLevel.Detail, $"listing the tags of {repository.Registry}/{repository.Repository} failed ({e.Message}); each tag is asked instead");
                return null;
            }
        })).Value;

    /// <summary>The repositories of a destination registry's catalog (<c>/v2/_catalog</c>, paged), read once per plan; null when it failed.</summary>
    private Task<HashSet<string>?> CatalogAsync(RegistryClient client, string address, CancellationToken cancellationToken) =>
        _catalogs.GetOrAdd(address, _ => new Lazy<Task<HashSet<string>?>>(async () =>
        {
            try
            {
                return new HashSet<string>(await client.ListRepositoriesAsync(TagPageSize, cancellationToken), StringComparer.Ordinal);
            }
            catch (RegistryException e)
            {
                policy.Log?.Invoke(PromotionLogLevel.Detail, $"the catalog of {client.Host} could not be read ({e.Message}); every new repository is asked as an old one");
                return null;
            }
        })).Value;

    /// <summary>The digest a destination reference resolves to, or null when the registry has no such manifest.</summary>
    /// <remarks>
    /// A reference the registry answers with a 5xx (what an empty link file or a 0-byte manifest left by a crash gives on
    /// Distribution) counts as absent, so that it is written again, and is recorded in <paramref name="unserved"/> (by
    /// <c>address/repository@reference</c>, <see cref="PromotionPlan.Unserved"/>) for the executor to report the repair.
    /// </remarks>
    private async Task<Digest?> DestinationHeadAsync(RegistryClient client, ImageReference repository, string reference,
        System.Collections.Concurrent.ConcurrentDictionary<string, string> unserved, CancellationToken cancellationToken)
    {
        var (check, found) = await ServedContent.HeadManifestAsync(client, repository.Repository, reference, cancellationToken);
        if (check.State != ServedState.Broken) return found;
        unserved[$"{registries.Resolve(repository.Registry).Address}/{repository.Repository}@{reference}"] = check.Problem!;
        policy.Log?.Invoke(PromotionLogLevel.Warning,
            $"destination {repository.Registry}/{repository.Repository}@{reference} is listed but not served ({check.Problem}); it will be written again");
        return null;
    }
}
