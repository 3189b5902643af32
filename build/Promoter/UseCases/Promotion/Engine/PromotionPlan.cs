using Promoter.Oci;

namespace Promoter.Promotion.Engine;

/// <summary>The promotion plan: every edge's decision, and the distinct copies and tags it implies.</summary>
public sealed class PromotionPlan
{
    /// <summary>Builds the job lists from the edge decisions.</summary>
    public PromotionPlan(IReadOnlyList<PlannedEdge> edges) : this(edges, []) { }

    /// <summary>Builds the job lists from the edge decisions and the attachment manifests to write (each adds its tag).</summary>
    public PromotionPlan(IReadOnlyList<PlannedEdge> edges, IReadOnlyList<AttachmentWrite> attachmentWrites)
    {
        Edges = edges;
        AttachmentWrites = attachmentWrites;
        var writes = edges.Where(e => e.Decision is EdgeDecision.Copy or EdgeDecision.AddTag or EdgeDecision.MoveTag).ToList();
        Copies = writes
            .Where(e => !e.DigestInDestination)
            .Select(e => new CopyJob(e.Edge.SourceReference(), e.Edge.DestinationReference().WithDigest(Digest.Parse(e.Edge.Digest))))
            .Distinct()
            .ToList();
        Tags = writes
            .Where(e => e.Edge.Tag is not null)
            .Select(e => new TagJob(e.Edge.DestinationReference(), Digest.Parse(e.Edge.Digest), e.CurrentDigest))
            .Concat(attachmentWrites.Where(w => w.Destination.Tag is not null).Select(w => new TagJob(w.Destination, w.Built.Manifest.Digest, w.Previous)))
            .Distinct()
            .ToList();
    }

    /// <summary>Attachment manifests this run writes itself (merged signatures, new signatures, referrers indexes, promotion
    /// records), after the copies and before the tags; each one's tag, when it has one, is in <see cref="Tags"/> (a promotion
    /// record is a referrer, written by digest only).</summary>
    public IReadOnlyList<AttachmentWrite> AttachmentWrites { get; }

    /// <summary>
    /// Destination references (<c>address/repository@tag-or-digest</c>) the registry listed but did not serve when planned
    /// (a 5xx: a link file or manifest a crash damaged), with what was wrong; they are planned as absent, written again and
    /// reported as repaired by the executor.
    /// </summary>
    public IReadOnlyDictionary<string, string> Unserved { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The media type each source manifest was served with when the plan asked for it (its HEAD), by
    /// <c>address/repository@digest</c>: lets later phases tell an image manifest (no children) from an index without
    /// fetching it. Empty for a plan read from a file; a missing key only means "ask the registry".
    /// </summary>
    public IReadOnlyDictionary<string, string> SourceMediaTypes { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Destination repositories (<c>address/repository</c>) whose tag listing answered 404 <c>NAME_UNKNOWN</c> when planned:
    /// the executor sends blobs into them without asking each one first (the upload is confirmed by a HEAD all the same).
    /// Empty for a plan read from a file, whose repositories may have been written since.
    /// </summary>
    public IReadOnlySet<string> NewRepositories { get; init; } = new HashSet<string>();

    /// <summary>
    /// The children of the indexes the plan reads (by index digest; an image manifest has none and is absent), as far as the
    /// planners fetched them: what <see cref="RefusalClosure"/> needs to refuse an index that lists a refused digest, and the
    /// children of a refused index. Empty for a plan read from a file.
    /// </summary>
    public IReadOnlyDictionary<Digest, IReadOnlyList<Digest>> IndexChildren { get; init; } = new Dictionary<Digest, IReadOnlyList<Digest>>();

    /// <summary>
    /// The destination references the executor must never write (by registry name, repository, and tag or digest): every
    /// refused edge's tag, and its digest when the refusal covers the digest (<see cref="PlannedEdge.RefusesDigest"/>). The
    /// executor checks each manifest and tag put against it, children of an index included.
    /// </summary>
    public IReadOnlyList<ImageReference> Fence => Edges
        .Where(e => e.IsRefused(lostIsRefused: false))
        .SelectMany(e =>
        {
            var destination = e.Edge.DestinationReference();
            var byDigest = destination.WithDigest(Digest.Parse(e.Edge.Digest));
            return (e.Edge.Tag is null, e.RefusesDigest) switch
            {
                (true, _) => [byDigest],
                (false, true) => [destination, byDigest],
                (false, false) => new[] { destination },
            };
        })
        .Distinct()
        .ToList();

    /// <summary>Every edge with its decision, in manifest order.</summary>
    public IReadOnlyList<PlannedEdge> Edges { get; }

    /// <summary>
    /// The source manifests of the copies (children of indexes included), by digest, as the plan phase read them to count
    /// the egress (<see cref="EgressPlanner"/>): the executor starts with them and fetches none again. Empty for a plan read
    /// from a file or made without them.
    /// </summary>
    public IReadOnlyDictionary<Digest, Promoter.Registry.ManifestContent> SourceManifests { get; private set; } =
        new Dictionary<Digest, Promoter.Registry.ManifestContent>();

    /// <summary>What the copies send into each destination registry, ordered by registry (<see cref="EgressPlanner"/>); empty
    /// until counted.</summary>
    public IReadOnlyList<RegistryEgress> Egress { get; private set; } = [];

    /// <summary>The requests execution sends to each quota domain and the time they need at its rate; empty until counted.</summary>
    public IReadOnlyList<DomainBudget> DomainBudgets { get; private set; } = [];

    /// <summary>A copy of this plan (every other property kept) with its source manifests, egress and domain budgets.</summary>
    internal PromotionPlan WithEgress(IReadOnlyDictionary<Digest, Promoter.Registry.ManifestContent> sourceManifests,
        IReadOnlyList<RegistryEgress> egress, IReadOnlyList<DomainBudget> budgets)
    {
        var copy = (PromotionPlan)MemberwiseClone();
        copy.SourceManifests = sourceManifests;
        copy.Egress = egress;
        copy.DomainBudgets = budgets;
        return copy;
    }

    /// <summary>Distinct manifest copies (source digest to destination repository).</summary>
    public IReadOnlyList<CopyJob> Copies { get; }

    /// <summary>Distinct tags to write after the copies.</summary>
    public IReadOnlyList<TagJob> Tags { get; }

    /// <summary>Refused tag moves, refused overlapping edges and other refused edges (<see cref="EdgeDecision.Refused"/>).</summary>
    public IReadOnlyList<PlannedEdge> Refusals => Edges.Where(e => e.IsRefused(lostIsRefused: false)).ToList();

    /// <summary>Edges whose digest is missing from the source.</summary>
    public IReadOnlyList<PlannedEdge> Lost => Edges.Where(e => e.Decision == EdgeDecision.Lost).ToList();

    /// <summary>
    /// The requests execution sends for manifests and tags, known from the plan alone: one GET per copied source digest
    /// (shared by its destinations; none when the plan read it, <see cref="SourceManifests"/>), per copy 2 (PUT, the GET that
    /// reads back and hashes what was written) unless its first tag's put writes it (<see cref="ManifestsPutByTag"/>: then
    /// that tag's read-back is the GET), per tag 3
    /// (guard HEAD, PUT, read-back HEAD) - except that a destination repository with two or more tags the plan saw absent
    /// guards those with one tag listing (1, then 2 per such tag) - plus 1 GET of the manifest when no copy of the run
    /// brings its digest. Children of an index and blobs add theirs (known only once the source manifests are read), so
    /// this is a floor of the total, not the total (<see cref="RequestBudget"/>). Repositories are told apart by registry
    /// name; <see cref="ManifestRequestsFor"/> counts with the executor's own grouping when names are aliases.
    /// </summary>
    public int ManifestRequests => ManifestRequestsFor(registry => registry);

    /// <summary>
    /// <see cref="ManifestRequests"/> with destination repositories grouped the way execution groups them: by
    /// <paramref name="registryKey"/> of the registry name (e.g. the resolved address, so that two names of one registry
    /// share one tag listing, as they do when executed).
    /// </summary>
    /// <param name="registryKey">Maps a destination registry name to the key repositories are grouped by.</param>
    public int ManifestRequestsFor(Func<string, string> registryKey)
    {
        var byTag = ManifestsPutByTag(registryKey);
        var copied = Copies.Select(c => c.Source.Digest!.Value).ToHashSet();
        var guards = Tags.GroupBy(t => (registryKey(t.Destination.Registry), t.Destination.Repository)).Sum(g =>
        {
            var absent = g.Count(t => t.Previous is null);
            return absent >= 2 ? 1 + 2 * absent + 3 * (g.Count() - absent) : 3 * g.Count();
        });
        // A source manifest the plan already read (SourceManifests) is not fetched again.
        return copied.Count(d => !SourceManifests.ContainsKey(d))
               + 2 * Copies.Count(c => !byTag.Contains((registryKey(c.Destination.Registry), c.Destination.Repository, c.Source.Digest!.Value)))
               + guards + Tags.Count(t => !copied.Contains(t.Digest));
    }

    /// <summary>
    /// The copies whose manifest the executor puts by its first tag rather than by digest first (by <paramref name="registryKey"/>
    /// of the destination registry, repository, digest): every copied digest the plan also tags in that repository, except
    /// one the registry listed but did not serve (<see cref="Unserved"/>: put by digest, so that its repair is reported).
    /// </summary>
    /// <param name="registryKey">Maps a destination registry name to the key repositories are told apart by (the address).</param>
    internal HashSet<(string Registry, string Repository, Digest Digest)> ManifestsPutByTag(Func<string, string> registryKey) =>
        Tags.Select(t => (Registry: registryKey(t.Destination.Registry), t.Destination.Repository, t.Digest))
            .Where(k => !Unserved.ContainsKey($"{k.Registry}/{k.Repository}@{k.Digest.Value}"))
            .ToHashSet();

    /// <summary>True when executing the plan would write nothing.</summary>
    public bool IsEmpty => Copies.Count == 0 && Tags.Count == 0 && AttachmentWrites.Count == 0;

    /// <summary>The plan as text: one line per edge, then a summary line.</summary>
    public IEnumerable<string> Describe()
    {
        foreach (var edge in Edges) yield return edge.ToString();
        foreach (var write in AttachmentWrites) yield return write.ToString();
        yield return Totals;
        foreach (var line in Footer) yield return line;
    }

    /// <summary>The plan's totals in one line: <c>plan: 3 copies, 5 tag(s), 0 refused, 0 lost, 2 already promoted</c>.</summary>
    public string Totals =>
        $"plan: {Copies.Count} cop{(Copies.Count == 1 ? "y" : "ies")}, {Tags.Count} tag(s), " +
        $"{Refusals.Count} refused, {Lost.Count} lost, {Edges.Count(e => e.Decision == EdgeDecision.AlreadyPromoted)} already promoted" +
        (AttachmentWrites.Count > 0 ? $", {AttachmentWrites.Count} attachment manifest(s) written" : "");

    /// <summary>The lines after the totals: the egress per destination registry, then each quota domain's request budget.</summary>
    public IEnumerable<string> Footer => Egress.Select(e => e.ToString()).Concat(DomainBudgets.Select(b => b.ToString()));
}
