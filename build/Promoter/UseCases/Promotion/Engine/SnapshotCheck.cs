using Promoter.Oci;
using Promoter.Registry;
using Promoter.Yaml;

namespace Promoter.Promotion.Engine;

/// <summary>What one repository holds according to the committed snapshot that covers it.</summary>
/// <param name="File">The snapshot.</param>
/// <param name="Image">The repository's image name relative to the snapshot's registry.</param>
/// <param name="Entry">Its entry in the snapshot, or null when the snapshot does not list it (the repository is empty).</param>
public sealed record SnapshotHolding(RegistrySnapshotFile File, string Image, ImageEntry? Entry)
{
    /// <summary>True when the snapshot lists <paramref name="digest"/> for the repository.</summary>
    public bool HasDigest(string digest) => Entry?.Dmap.Any(d => string.Equals(d.Digest, digest, StringComparison.Ordinal)) == true;

    /// <summary>The digest <paramref name="tag"/> points at in the snapshot, with where the snapshot says so; null when the tag is absent.</summary>
    public (Digest Digest, SourceLocation? At)? Tagged(string tag) =>
        Entry?.Dmap.FirstOrDefault(d => d.Tags.Contains(tag, StringComparer.Ordinal)) is { } entry ? (Digest.Parse(entry.Digest), entry.Location) : null;
}

/// <summary>
/// The committed snapshots of an offline check, one per registry: which snapshot covers a repository. A snapshot of
/// <c>R</c> covers every repository below <c>R</c> (a snapshot of <c>us.gcr.io/prod</c> covers <c>us.gcr.io/prod/cip/foo</c>,
/// as image <c>cip/foo</c>); the longest covering registry wins.
/// </summary>
public sealed class SnapshotSet
{
    /// <summary>The snapshots.</summary>
    /// <exception cref="ArgumentException">Two snapshots of one registry.</exception>
    public SnapshotSet(IReadOnlyList<RegistrySnapshotFile> files)
    {
        foreach (var twice in files.GroupBy(f => f.Registry, StringComparer.Ordinal).Where(g => g.Count() > 1))
            throw new ArgumentException($"two snapshots of {twice.Key}: {string.Join(" and ", twice.Select(f => f.File))}; give one per registry.", nameof(files));
        Files = files;
    }

    /// <summary>The snapshots, as given.</summary>
    public IReadOnlyList<RegistrySnapshotFile> Files { get; }

    /// <summary>What the snapshot covering <paramref name="registry"/>/<paramref name="image"/> holds there; null when no snapshot covers it.</summary>
    public SnapshotHolding? Find(string registry, string image)
    {
        var repository = (RegistryPath.TryParse(registry, out var path, out _) ? path.ToString() : registry.TrimEnd('/')) + "/" + image;
        var file = Files.Where(f => repository.StartsWith(f.Registry + "/", StringComparison.Ordinal)).MaxBy(f => f.Registry.Length);
        if (file is null) return null;
        var relative = repository[(file.Registry.Length + 1)..];
        return new SnapshotHolding(file, relative, file.Contents.Images.FirstOrDefault(i => string.Equals(i.Name, relative, StringComparison.Ordinal)));
    }
}

/// <summary>What an offline check says of an edge.</summary>
public enum SnapshotVerdict
{
    /// <summary>The snapshots already show it (<see cref="EdgeDecision.AlreadyPromoted"/>).</summary>
    Unchanged,
    /// <summary>The promotion would write it (a copy, a new tag, or a tag move allowed by <c>--allow-tag-moves</c>).</summary>
    New,
    /// <summary>Refused: a tag move, an overlapping edge, a digest the source's snapshot lacks, or a destination no snapshot covers.</summary>
    Refused,
}

/// <summary>One edge checked against the snapshots.</summary>
/// <param name="Planned">The decision of <see cref="PromotionRules"/> on the view the snapshots give.</param>
/// <param name="Verdict">Unchanged, new or refused.</param>
/// <param name="SourceKnown">A snapshot covers the edge's source repository; when false the digest was taken as present.</param>
/// <param name="Evidence">The snapshot line the decision rests on (the destination tag's current digest, the source's snapshot
/// of a lost digest), when there is one.</param>
public sealed record SnapshotCheckedEdge(PlannedEdge Planned, SnapshotVerdict Verdict, bool SourceKnown, SourceLocation? Evidence)
{
    /// <summary>One line for the listing, after the manifest's <c>file:line: </c>: the plan's line, and for a refusal the
    /// snapshot it rests on.</summary>
    public string Describe() => Planned.Decision switch
    {
        EdgeDecision.RefusedTagMove => $"{Planned} (snapshot {Evidence})",
        EdgeDecision.MoveTag => $"new: {Planned} (snapshot {Evidence})",
        EdgeDecision.Lost => $"REFUSED lost digest: {Planned.Edge.SourceReference()} is not in the source's snapshot ({Evidence})",
        _ when Verdict == SnapshotVerdict.New => $"new: {Planned}",
        _ => Planned.ToString(),
    };
}

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

/// <summary>
/// The offline check refused the manifests: a tag move, an overlapping edge, a digest the source's snapshot lacks, or a
/// destination no snapshot covers. The message's first line sums up; then one line per refused edge with the manifest's
/// <c>file:line</c>.
/// </summary>
public sealed class SnapshotCheckRefusedException : PromoterRefusalException
{
    /// <summary>Creates the refusal from the listing's lines of the refused edges (at least one).</summary>
    public SnapshotCheckRefusedException(IReadOnlyList<string> refused)
        : base($"{refused.Count} edge(s) refused against the committed snapshots (no registry was contacted):\n  " + string.Join("\n  ", refused)) =>
        Refused = refused;

    /// <summary>The refused edges' lines.</summary>
    public IReadOnlyList<string> Refused { get; }
}
