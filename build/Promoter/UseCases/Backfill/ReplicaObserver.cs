using System.Collections.Concurrent;
using Promoter.Attachments;
using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Registry;

namespace Promoter.Backfill;

/// <summary>
/// Asks the replicas what <see cref="ReplicaComparison"/> compares, and nothing else: never the manifests' source registry,
/// only the destinations of the edges. Per replica and image: one tag listing; a HEAD per manifest digest and per listed
/// tag the manifests name; for each digest one GET of its manifest from the first replica that serves it (children and blobs
/// are read from it), then in each replica holding it a HEAD per child and per blob (with its size); and per digest and
/// child the attachments (<see cref="AttachmentFinder"/>: cosign tags, OCI referrers or their fallback tag) in every replica.
/// </summary>
/// <param name="registries">The run's registry clients.</param>
/// <param name="parallelism">Requests in flight at once (at least 1).</param>
public sealed class ReplicaObserver(RegistryPool registries, int parallelism)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, parallelism));
    private readonly AttachmentFinder _finder = new();
    private readonly ConcurrentDictionary<(string, string), Lazy<Task<HashSet<string>?>>> _tags = new();

    /// <summary>A digest the manifests name for an image, the replicas meant to hold it, and its tags there.</summary>
    private sealed record Top(string Image, string Digest, List<string> Replicas, List<(string Tag, List<string> Replicas)> Tags);

    /// <summary>Observes the replicas of <paramref name="edges"/>: every destination of an edge holds what the others do.</summary>
    /// <exception cref="RegistryException">A replica could not be asked (refused connection, 401, ...).</exception>
    /// <exception cref="FormatException">A manifest or referrers index a replica serves is malformed.</exception>
    public async Task<ReplicaView> ObserveAsync(IReadOnlyList<PromotionEdge> edges, CancellationToken cancellationToken = default)
    {
        var replicas = edges.Select(e => e.DestinationRegistry).Distinct(StringComparer.Ordinal).ToList();
        var tops = new List<Top>();
        var byDigest = new Dictionary<(string, string), Top>();
        foreach (var edge in edges)
        {
            if (!byDigest.TryGetValue((edge.DestinationImage, edge.Digest), out var top))
                tops.Add(byDigest[(edge.DestinationImage, edge.Digest)] = top = new Top(edge.DestinationImage, edge.Digest, [], []));
            if (!top.Replicas.Contains(edge.DestinationRegistry)) top.Replicas.Add(edge.DestinationRegistry);
            if (edge.Tag is not { } tag) continue;
            var entry = top.Tags.FirstOrDefault(t => t.Tag == tag);
            if (entry.Tag is null) top.Tags.Add(entry = (tag, []));
            if (!entry.Replicas.Contains(edge.DestinationRegistry)) entry.Replicas.Add(edge.DestinationRegistry);
        }
        var results = new List<ItemView>[tops.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, tops.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _slots.CurrentCount), CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await ObserveTopAsync(tops[i], ct));
        return new ReplicaView(replicas, results.SelectMany(r => r).ToList());
    }

    private async Task<List<ItemView>> ObserveTopAsync(Top top, CancellationToken ct)
    {
        var items = new List<ItemView>();
        var digest = Digest.Parse(top.Digest);
        var manifest = await AskEachAsync(top.Replicas, r => ManifestAsync(r, top.Image, digest, ct));
        items.Add(new ItemView(new ReplicaItem(ReplicaItemKind.Manifest, top.Image, top.Digest), top.Digest, manifest));
        foreach (var (tag, replicas) in top.Tags)
            items.Add(new ItemView(new ReplicaItem(ReplicaItemKind.Tag, top.Image, tag), top.Digest,
                await AskEachAsync(replicas, r => TagAsync(r, top.Image, tag, ct))));
        var subjects = new List<Digest> { digest };
        await ExpandAsync(top.Image, digest, Holders(manifest, top.Digest), items, subjects, ct);
        foreach (var subject in subjects)
            items.AddRange(await AttachmentsAsync(top.Image, subject, top.Replicas, ct));
        return items;
    }

    /// <summary>The children (an index) or blobs (an image) of <paramref name="digest"/>, asked in the replicas holding it;
    /// children are added to <paramref name="subjects"/> and expanded in turn.</summary>
    private async Task ExpandAsync(string image, Digest digest, List<string> holders, List<ItemView> items, List<Digest> subjects, CancellationToken ct)
    {
        if (holders.Count == 0) return;
        ManifestContent? content = null;
        foreach (var replica in holders)
        {
            var (client, repository) = Repository(replica, image);
            var (check, found) = await Slot(() => ServedContent.GetManifestAsync(client, repository, digest, ct));
            if (check.State != ServedState.Served) continue;
            content = found;
            break;
        }
        if (content is null) return;
        var document = content.Parse($"{image}@{digest}");
        if (document.IsIndex)
        {
            foreach (var child in document.Manifests)
            {
                var childDigest = child.ParsedDigest;
                var answers = await AskEachAsync(holders, r => ManifestAsync(r, image, childDigest, ct));
                items.Add(new ItemView(new ReplicaItem(ReplicaItemKind.Manifest, image, childDigest.Value, digest), childDigest.Value, answers));
                if (!subjects.Contains(childDigest)) subjects.Add(childDigest);
                await ExpandAsync(image, childDigest, Holders(answers, childDigest.Value), items, subjects, ct);
            }
            return;
        }
        foreach (var blob in document.Blobs.DistinctBy(b => b.ParsedDigest))
        {
            var size = blob.Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var answers = await AskEachAsync(holders, r => BlobAsync(r, image, blob.ParsedDigest, blob.Size, size, ct));
            items.Add(new ItemView(new ReplicaItem(ReplicaItemKind.Blob, image, blob.ParsedDigest.Value, digest), size, answers));
        }
    }

    /// <summary>The attachment tags and referrers of <paramref name="subject"/> any replica holds, as items asked in every replica.</summary>
    private async Task<List<ItemView>> AttachmentsAsync(string image, Digest subject, List<string> replicas, CancellationToken ct)
    {
        var sets = await AskEachAsync(replicas, async r =>
        {
            var (client, repository) = Repository(r, image);
            return (AttachmentSet?)await Slot(() => _finder.FindAsync(client, repository, subject, ct));
        });
        var items = new List<ItemView>();
        var kinds = AttachmentTags.CosignKinds.Select(kind => (Tag: AttachmentTags.For(subject, kind),
            Held: (Func<AttachmentSet, string?>)(set => set.Get(kind)?.Manifest.Digest.Value))).ToList();
        kinds.Add((AttachmentTags.For(subject, AttachmentKind.ReferrersIndex), set => set.ReferrersIndex?.Digest.Value));
        foreach (var (tag, held) in kinds)
        {
            var answers = sets.ToDictionary(p => p.Key, p => held(p.Value!), StringComparer.Ordinal);
            if (answers.Values.Any(a => a is not null))
                items.Add(new ItemView(new ReplicaItem(ReplicaItemKind.Attachment, image, tag, subject), null, answers));
        }
        var referrers = sets.Values.SelectMany(s => s!.Referrers.Select(e => e.Digest)).Distinct().ToList();
        foreach (var referrer in referrers)
            items.Add(new ItemView(new ReplicaItem(ReplicaItemKind.Referrer, image, referrer.Value, subject), referrer.Value,
                sets.ToDictionary(p => p.Key, p => p.Value!.Referrers.Any(e => e.Digest == referrer) ? referrer.Value : null, StringComparer.Ordinal)));
        return items;
    }

    /// <summary>A manifest by digest: its digest when served, a line saying what is wrong on a 5xx, null when absent.</summary>
    private async Task<string?> ManifestAsync(string replica, string image, Digest digest, CancellationToken ct)
    {
        var (client, repository) = Repository(replica, image);
        var (check, found) = await Slot(() => ServedContent.HeadManifestAsync(client, repository, digest.Value, ct));
        return check.State switch
        {
            ServedState.Served => found!.Value.Value,
            ServedState.Missing => null,
            _ => $"not served ({check.Problem})",
        };
    }

    /// <summary>The digest a tag names; null when the repository's listing lacks it (no HEAD then) or the HEAD answers 404.</summary>
    private async Task<string?> TagAsync(string replica, string image, string tag, CancellationToken ct)
    {
        var (client, repository) = Repository(replica, image);
        var listed = await _tags.GetOrAdd((replica, image), _ => new Lazy<Task<HashSet<string>?>>(async () =>
        {
            try
            {
                return await Slot(() => client.ListTagsOrEmptyAsync(repository, AttachmentFinder.TagPageSize, ct));
            }
            catch (RegistryException)
            {
                return null; // a registry that does not list tags is asked tag by tag
            }
        })).Value;
        if (listed is not null && !listed.Contains(tag)) return null;
        var (check, found) = await Slot(() => ServedContent.HeadManifestAsync(client, repository, tag, ct));
        return check.State switch
        {
            ServedState.Served => found!.Value.Value,
            ServedState.Missing => null,
            _ => $"not served ({check.Problem})",
        };
    }

    /// <summary>A blob: its size when a HEAD serves it with the descriptor's size, a line saying what is wrong otherwise, null when absent.</summary>
    private async Task<string?> BlobAsync(string replica, string image, Digest digest, long size, string expected, CancellationToken ct)
    {
        var (client, repository) = Repository(replica, image);
        var check = await Slot(() => ServedContent.HeadBlobAsync(client, repository, digest, size, ct));
        return check.State switch
        {
            ServedState.Served => expected,
            ServedState.Missing => null,
            _ => $"not served ({check.Problem})",
        };
    }

    private static List<string> Holders(IReadOnlyDictionary<string, string?> answers, string digest) =>
        answers.Where(a => a.Value == digest).Select(a => a.Key).ToList();

    /// <summary>Asks every replica at once; the answers keyed by replica, in the order given.</summary>
    private static async Task<IReadOnlyDictionary<string, T?>> AskEachAsync<T>(IReadOnlyList<string> replicas, Func<string, Task<T?>> ask)
    {
        var answers = await Task.WhenAll(replicas.Select(ask));
        var map = new Dictionary<string, T?>(StringComparer.Ordinal);
        for (var i = 0; i < replicas.Count; i++) map[replicas[i]] = answers[i];
        return map;
    }

    private (RegistryClient Client, string Repository) Repository(string replica, string image)
    {
        var path = RegistryPath.Parse(replica);
        return (registries.For(path.Host), path.RepositoryFor(image));
    }

    /// <summary>Runs one request within the run's bound on requests in flight.</summary>
    private async Task<T> Slot<T>(Func<Task<T>> request)
    {
        await _slots.WaitAsync();
        try
        {
            return await request();
        }
        finally
        {
            _slots.Release();
        }
    }
}
