using Promoter.Oci;
using Promoter.Yaml;
using Promoter.Promotion.Engine;

namespace Promoter.Promotion.Checks;

/// <summary>
/// The offline immutability check (<c>Promote --against-snapshot</c>): every edge decided by the pure
/// <see cref="PromotionRules"/> on an <see cref="EdgeView"/> made from committed snapshots instead of registry answers.
/// No registry is read: the destination tag's digest and the destination's digests come from the destination's
/// snapshot, the source's digests from the source's snapshot when one is given (else the digest is taken as present).
/// </summary>
public static class SnapshotCheck
{
    /// <summary>Checks every edge: overlapping edges (<see cref="PromotionRules.Overlaps"/>) are refused, the rest decided by <see cref="Decide"/>.</summary>
    /// <param name="edges">The manifests' edges, overlapping ones kept.</param>
    /// <param name="snapshots">The committed snapshots.</param>
    /// <param name="allowTagMoves">A tag on another digest is a move (new), not a refusal.</param>
    public static IReadOnlyList<SnapshotCheckedEdge> Check(IReadOnlyList<PromotionEdge> edges, SnapshotSet snapshots, bool allowTagMoves)
    {
        var overlaps = PromotionRules.Overlaps(edges);
        return edges.Select(edge => overlaps.TryGetValue(edge, out var other)
                ? new SnapshotCheckedEdge(PromotionRules.Overlap(edge, other), SnapshotVerdict.Refused,
                    snapshots.Find(edge.SourceRegistry, edge.SourceImage) is not null, null)
                : Decide(edge, snapshots, allowTagMoves))
            .ToList();
    }

    /// <summary>
    /// One edge: refused when no snapshot covers its destination; otherwise <see cref="PromotionRules.Decide"/> on the view
    /// the snapshots give - the source holds the digest when the source's snapshot lists it (or no snapshot covers the
    /// source), the tag's digest and the destination's digests are the destination snapshot's - and the decision's verdict:
    /// already promoted is unchanged, a copy, a new tag or an allowed move is new, a tag move or a lost digest is refused
    /// (a lost digest always: a presubmit fails on it whatever <c>--require-source</c> says).
    /// </summary>
    public static SnapshotCheckedEdge Decide(PromotionEdge edge, SnapshotSet snapshots, bool allowTagMoves)
    {
        var source = snapshots.Find(edge.SourceRegistry, edge.SourceImage);
        var destination = snapshots.Find(edge.DestinationRegistry, edge.DestinationImage);
        if (destination is null)
            return new SnapshotCheckedEdge(new PlannedEdge(edge, EdgeDecision.Refused, false, null,
                    $"no snapshot covers {edge.DestinationRegistry}/{edge.DestinationImage}: give --against-snapshot={edge.DestinationRegistry}=FILE (an empty file for an empty registry)"),
                SnapshotVerdict.Refused, source is not null, null);
        var tagged = edge.Tag is { } tag ? destination.Tagged(tag) : null;
        var view = new EdgeView(source?.HasDigest(edge.Digest) ?? true, tagged?.Digest, destination.HasDigest(edge.Digest));
        var planned = PromotionRules.Decide(edge, Digest.Parse(edge.Digest), view, allowTagMoves);
        var verdict = planned.Decision switch
        {
            EdgeDecision.AlreadyPromoted => SnapshotVerdict.Unchanged,
            EdgeDecision.Copy or EdgeDecision.AddTag or EdgeDecision.MoveTag => SnapshotVerdict.New,
            _ => SnapshotVerdict.Refused,
        };
        var evidence = planned.Decision switch
        {
            EdgeDecision.RefusedTagMove or EdgeDecision.MoveTag => tagged?.At ?? new SourceLocation(destination.File.File, 0, ""),
            EdgeDecision.Lost => new SourceLocation(source!.File.File, 0, ""),
            _ => (SourceLocation?)null,
        };
        return new SnapshotCheckedEdge(planned, verdict, source is not null, evidence);
    }

    /// <summary>
    /// Where each edge of <paramref name="manifests"/> comes from: the <c>dmap</c> entry (file, line, field) of its digest,
    /// the first one when several manifests give the edge; edges made as <see cref="PromotionEdges.FromManifests"/> makes them.
    /// </summary>
    public static Dictionary<PromotionEdge, SourceLocation> Origins(IEnumerable<PromoterManifest> manifests)
    {
        var origins = new Dictionary<PromotionEdge, SourceLocation>();
        foreach (var manifest in manifests)
        {
            var source = manifest.Source;
            foreach (var image in manifest.Images)
                foreach (var entry in image.Dmap)
                    foreach (var destination in manifest.Destinations)
                        foreach (var tag in entry.IsTagless ? [null] : entry.Tags.Select(t => (string?)t))
                            origins.TryAdd(new PromotionEdge(source.Name, image.Name, entry.Digest, destination.Name, image.Name, tag),
                                entry.Location ?? image.Location ?? new SourceLocation(manifest.ImagesFile ?? manifest.File, 0, ""));
        }
        return origins;
    }
}
