using System.Collections.Concurrent;
using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Promotion.Engine;

/// <summary>
/// The egress of a plan and its request budget per quota domain. The plan phase asks only HEADs; the blobs an image
/// brings are in its manifest, so this reads every copied source manifest (and the children of an index) once: one GET
/// per distinct source digest. Those GETs are not extra for a confirmed run: the manifests go to the executor with the
/// plan (<see cref="PromotionPlan.SourceManifests"/>), which then fetches none of them again; a dry run pays them (one GET
/// per manifest it would copy, nothing per blob).
/// </summary>
internal sealed class EgressPlanner(RegistryPool registries, PromotionPolicy policy)
{
    /// <summary>The plan with its source manifests, egress and domain budgets (<see cref="PromotionPlan.WithEgress"/>).</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="known">Source manifests already fetched (by the planner), by digest: not fetched again.</param>
    /// <param name="cancellationToken">Cancels the GETs.</param>
    /// <exception cref="RegistryException">A source manifest could not be read.</exception>
    public async Task<PromotionPlan> ExtendAsync(PromotionPlan plan, IReadOnlyDictionary<Digest, ManifestContent> known, CancellationToken cancellationToken)
    {
        var manifests = new ConcurrentDictionary<Digest, ManifestContent>();
        var sources = plan.Copies.Select(c => c.Source).DistinctBy(s => s.Digest!.Value).ToList();
        await Parallel.ForEachAsync(sources, new ParallelOptions { MaxDegreeOfParallelism = policy.PlanRequests, CancellationToken = cancellationToken },
            async (source, ct) => await FetchAsync(source, source.Digest!.Value, manifests, known, ct));
        var (egress, budgets) = Tally(plan, manifests, host => registries.Resolve(host).Address, registries.Transport.LimitOf);
        return plan.WithEgress(manifests.ToDictionary(), egress, budgets);
    }

    private async Task FetchAsync(ImageReference source, Digest digest, ConcurrentDictionary<Digest, ManifestContent> manifests,
        IReadOnlyDictionary<Digest, ManifestContent> known, CancellationToken cancellationToken)
    {
        if (manifests.ContainsKey(digest)) return;
        var content = known.TryGetValue(digest, out var fetched)
            ? fetched
            : await registries.For(source.Registry).GetManifestAsync(source.Repository, digest.Value, cancellationToken);
        if (!manifests.TryAdd(digest, content)) return;
        ManifestDocument document;
        try { document = content.Parse(source.WithDigest(digest).ToString()); }
        catch (FormatException) { return; } // the executor reports it when it copies the manifest
        if (document.IsIndex)
            await Task.WhenAll(document.Manifests.Select(child => FetchAsync(source, child.ParsedDigest, manifests, known, cancellationToken)));
    }

    /// <summary>
    /// Counts, from the plan and the source manifests, the egress per destination registry and the requests execution sends
    /// per quota domain. Requests counted: per copied manifest (children of an index too) its PUT and the GET that reads it
    /// back, none for one its first tag puts (<see cref="PromotionPlan.ManifestsPutByTag"/>), plus a HEAD for a child
    /// unless the repository is new (<see cref="PromotionPlan.NewRepositories"/>); per tag as
    /// <see cref="PromotionPlan.ManifestRequestsFor"/> (guard, PUT, read-back); per blob and destination repository: into a
    /// registry the blob was not yet brought to, a HEAD (none into a new repository), the upload's POST and PUT and the
    /// confirming HEAD, and a GET of the source (once per run for a blob of at most <see cref="BlobTransfer.SmallBlobBytes"/>,
    /// once per destination registry above); into another repository of a registry that has it, one mount; within one
    /// registry, a HEAD and a mount. Source manifests the plan read cost nothing more. Retries, auth challenges and token
    /// requests come on top. Pure.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="manifests">Source manifests by digest (children of indexes included).</param>
    /// <param name="address">The address a registry name resolves to.</param>
    /// <param name="limitOf">The quota domain and rates of a request to an address about a repository.</param>
    public static (IReadOnlyList<RegistryEgress> Egress, IReadOnlyList<DomainBudget> Budgets) Tally(PromotionPlan plan,
        IReadOnlyDictionary<Digest, ManifestContent> manifests, Func<string, string> address, Func<string, string?, QuotaLimit> limitOf)
    {
        var requests = new Dictionary<string, (QuotaLimit Limit, long Count)>(StringComparer.Ordinal);
        void Count(string host, string repository, long count)
        {
            var limit = limitOf(address(host), repository);
            requests[limit.Domain.Name] = requests.TryGetValue(limit.Domain.Name, out var known) ? (known.Limit, known.Count + count) : (limit, count);
        }
        var blobs = new Dictionary<string, Dictionary<Digest, long>>(StringComparer.Ordinal);     // registry -> blobs brought from elsewhere
        var mounted = new Dictionary<string, HashSet<Digest>>(StringComparer.Ordinal);             // registry -> blobs mounted within it
        var written = new Dictionary<string, Dictionary<Digest, long>>(StringComparer.Ordinal);   // registry -> manifests written
        var inRegistry = new HashSet<(string Address, Digest Blob)>();                             // a registry that got the blob this run
        var inRepository = new HashSet<(string Address, string Repository, Digest Blob)>();
        var copiedManifests = new HashSet<(string Address, string Repository, Digest Manifest)>();
        var readSmall = new HashSet<Digest>();
        var readLarge = new HashSet<(string Address, Digest Blob)>();

        var byTag = plan.ManifestsPutByTag(address);
        void CopyManifest(ImageReference source, ImageReference destination, Digest digest, bool child)
        {
            var to = address(destination.Registry);
            if (!copiedManifests.Add((to, destination.Repository, digest))) return;
            var empty = plan.NewRepositories.Contains($"{to}/{destination.Repository}");
            Count(destination.Registry, destination.Repository, child ? (empty ? 2 : 3) : byTag.Contains((to, destination.Repository, digest)) ? 0 : 2);
            if (!manifests.TryGetValue(digest, out var content)) return;
            Dictionary<Digest, long> Of(Dictionary<string, Dictionary<Digest, long>> table) =>
                table.TryGetValue(destination.Registry, out var set) ? set : table[destination.Registry] = [];
            Of(written)[digest] = content.Bytes.LongLength;
            ManifestDocument document;
            try { document = content.Parse(source.ToString()); }
            catch (FormatException) { return; }
            if (document.IsIndex)
            {
                foreach (var item in document.Manifests) CopyManifest(source, destination, item.ParsedDigest, child: true);
                return;
            }
            var from = address(source.Registry);
            foreach (var blob in document.Blobs)
            {
                var blobDigest = blob.ParsedDigest;
                if (!inRepository.Add((to, destination.Repository, blobDigest))) continue;
                if (from == to)
                {
                    (mounted.TryGetValue(destination.Registry, out var set) ? set : mounted[destination.Registry] = []).Add(blobDigest);
                    Count(destination.Registry, destination.Repository, 2);
                    continue;
                }
                if (!inRegistry.Add((to, blobDigest)))
                {
                    Count(destination.Registry, destination.Repository, 1);
                    continue;
                }
                Of(blobs)[blobDigest] = blob.Size;
                Count(destination.Registry, destination.Repository, empty ? 3 : 4);
                var read = blob.Size is >= 0 and <= BlobTransfer.SmallBlobBytes ? readSmall.Add(blobDigest) : readLarge.Add((to, blobDigest));
                if (read) Count(source.Registry, source.Repository, 1);
            }
        }

        foreach (var copy in plan.Copies)
        {
            if (!manifests.ContainsKey(copy.Source.Digest!.Value)) Count(copy.Source.Registry, copy.Source.Repository, 1);
            CopyManifest(copy.Source, copy.Destination, copy.Source.Digest!.Value, child: false);
        }
        foreach (var write in plan.AttachmentWrites)
        {
            var registry = write.Destination.Registry;
            (written.TryGetValue(registry, out var set) ? set : written[registry] = [])[write.Built.Manifest.Digest] = write.Built.Manifest.Bytes.LongLength;
            Count(registry, write.Destination.Repository, 2 + 4 * (write.NewBlobs.Count + write.CopiedBlobs.Count));
            foreach (var (digest, bytes) in write.NewBlobs)
                (blobs.TryGetValue(registry, out var b) ? b : blobs[registry] = [])[digest] = bytes.LongLength;
            foreach (var layer in write.CopiedBlobs)
                (blobs.TryGetValue(registry, out var b) ? b : blobs[registry] = [])[layer.Digest] = layer.Size;
        }
        foreach (var group in plan.Tags.GroupBy(t => (address(t.Destination.Registry), t.Destination.Repository)))
        {
            var absent = group.Count(t => t.Previous is null);
            Count(group.First().Destination.Registry, group.Key.Repository, absent >= 2 ? 1 + 2 * absent + 3 * (group.Count() - absent) : 3 * group.Count());
        }

        var egress = written.Keys.Concat(blobs.Keys).Concat(mounted.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(registry =>
        {
            var brought = blobs.GetValueOrDefault(registry) ?? [];
            var manifestsWritten = written.GetValueOrDefault(registry) ?? [];
            var mounts = mounted.GetValueOrDefault(registry)?.Where(d => !brought.ContainsKey(d)).Count() ?? 0;
            return new RegistryEgress(registry, brought.Count, brought.Values.Where(s => s > 0).Sum(), manifestsWritten.Count, manifestsWritten.Values.Sum(), mounts);
        }).ToList();
        var budgets = requests.Values.OrderBy(r => r.Limit.Domain.Name, StringComparer.Ordinal).Select(r => new DomainBudget(r.Limit, r.Count)).ToList();
        return (egress, budgets);
    }
}
