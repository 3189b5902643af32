using Promoter.Promotion;

namespace Promoter.Backfill;

/// <summary>
/// Backfill's decisions as pure functions over an observed <see cref="ReplicaView"/>: which replica lacks what, which
/// replica is healthy for an item (holds it with the right digest, and for a manifest or tag also every blob and child of
/// that digest), and the promotion edges that repair the findings with a healthy replica as their source. No registry is
/// asked (<c>Backfill/README.md</c>).
/// </summary>
public static class ReplicaComparison
{
    /// <summary>Compares the replicas of every item of <paramref name="view"/>.</summary>
    /// <remarks>
    /// For each item, the value a replica should hold is the item's <see cref="ItemView.Expected"/>, else the value held by
    /// more replicas than any other value (none on a tie: every replica's answer is then reported, with no source). A
    /// replica holding another value differs; one holding nothing is missing. A replica is healthy for an item when it holds
    /// the value; for a manifest digest (and a tag on it) it must also hold every blob and child of that digest, since a copy
    /// from it would read them.
    /// </remarks>
    public static ReplicaComparisonResult Compare(ReplicaView view)
    {
        var damaged = Damaged(view);
        var order = view.Replicas.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i, StringComparer.Ordinal);
        var findings = new List<(int Replica, int Item, ReplicaFinding Finding)>();
        var inNoReplica = new List<ReplicaItem>();
        for (var index = 0; index < view.Items.Count; index++)
        {
            var (item, expectedGiven, answers) = view.Items[index];
            if (answers.Count == 0) continue;
            if (answers.Values.All(a => a is null))
            {
                inNoReplica.Add(item);
                continue;
            }
            var expected = expectedGiven ?? Majority(answers.Values);
            // The digest a copy from a replica would read, for manifests and tags: that replica must hold all of it.
            var digest = item.Kind switch
            {
                ReplicaItemKind.Manifest => item.Reference,
                ReplicaItemKind.Tag => expected,
                _ => null,
            };
            var from = expected is null ? null : view.Replicas.FirstOrDefault(r =>
                answers.TryGetValue(r, out var held) && held == expected
                && (digest is null || !damaged.Contains((r, item.Image, digest))));
            foreach (var (replica, held) in answers)
            {
                if (held is not null && held == expected) continue;
                var gap = held is null ? ReplicaGap.Missing : ReplicaGap.Differs;
                var action = Action(item.Kind, gap, expected, from);
                findings.Add((order.GetValueOrDefault(replica, int.MaxValue), index,
                    new ReplicaFinding(replica, item, gap, held, expected, action == BackfillAction.NoHealthyReplica ? null : from, action)));
            }
        }
        return new ReplicaComparisonResult(
            findings.OrderBy(f => f.Replica).ThenBy(f => f.Item).ThenBy(f => f.Finding.Replica, StringComparer.Ordinal).Select(f => f.Finding).ToList(),
            inNoReplica);
    }

    /// <summary>
    /// What Backfill does with one gap: a tag or attachment tag on another value is refused (never moved); anything else
    /// missing or differing (a manifest, referrer or blob not served right) is copied from <paramref name="from"/>, when
    /// there is one.
    /// </summary>
    public static BackfillAction Action(ReplicaItemKind kind, ReplicaGap gap, string? expected, string? from) =>
        (kind, gap) switch
        {
            (ReplicaItemKind.Tag or ReplicaItemKind.Attachment, ReplicaGap.Differs) => BackfillAction.Refuse,
            _ when expected is null || from is null => BackfillAction.NoHealthyReplica,
            _ => BackfillAction.Copy,
        };

    /// <summary>
    /// The promotion edges that repair <paramref name="findings"/>, each from its healthy replica (never the source
    /// registry) to the replica that lacks the item: a manifest or referrer by digest (tagless), a tag or attachment tag
    /// on the digest it should name, a blob as its image manifest by digest (already there, so the executor's check of
    /// what is in place, <c>VerifyDestination</c>, writes the blob again). A refused tag keeps its edge, so that the
    /// pipeline's check phase decides and refuses it like any tag move; a finding with no healthy replica has none.
    /// </summary>
    public static IReadOnlyList<PromotionEdge> Edges(IEnumerable<ReplicaFinding> findings)
    {
        var edges = new List<PromotionEdge>();
        var seen = new HashSet<PromotionEdge>();
        foreach (var finding in findings)
        {
            if (finding.From is not { } from || finding.Action == BackfillAction.NoHealthyReplica) continue;
            var item = finding.Item;
            var edge = item.Kind switch
            {
                ReplicaItemKind.Manifest or ReplicaItemKind.Referrer => new PromotionEdge(from, item.Image, item.Reference, finding.Replica, item.Image, null),
                ReplicaItemKind.Tag or ReplicaItemKind.Attachment => new PromotionEdge(from, item.Image, finding.Expected!, finding.Replica, item.Image, item.Reference),
                _ => new PromotionEdge(from, item.Image, item.Owner!.Value.Value, finding.Replica, item.Image, null),
            };
            if (seen.Add(edge)) edges.Add(edge);
        }
        return edges;
    }

    /// <summary>The value more answers hold than any other, or null on a tie.</summary>
    private static string? Majority(IEnumerable<string?> answers)
    {
        var counts = answers.OfType<string>().GroupBy(a => a, StringComparer.Ordinal).Select(g => (g.Key, Count: g.Count()))
            .OrderByDescending(g => g.Count).ToList();
        return counts.Count == 0 || (counts.Count > 1 && counts[1].Count == counts[0].Count) ? null : counts[0].Key;
    }

    /// <summary>
    /// The (replica, image, manifest digest) a copy must not read from: an image manifest with a blob missing or not served
    /// right in that replica, an index with such a child or a child missing, up the owners.
    /// </summary>
    private static HashSet<(string, string, string)> Damaged(ReplicaView view)
    {
        var damaged = new HashSet<(string, string, string)>();
        var parents = new Dictionary<(string, string), List<string>>();
        foreach (var (item, expected, answers) in view.Items)
        {
            if (item.Kind == ReplicaItemKind.Manifest && item.Owner is { } index)
            {
                if (!parents.TryGetValue((item.Image, item.Reference), out var list)) parents[(item.Image, item.Reference)] = list = [];
                list.Add(index.Value);
            }
            if (item.Kind is not (ReplicaItemKind.Blob or ReplicaItemKind.Manifest) || item.Owner is not { } owner) continue;
            foreach (var (replica, held) in answers)
                if (held is null || (expected is not null && held != expected))
                    damaged.Add((replica, item.Image, owner.Value));
        }
        var pending = new Queue<(string, string, string)>(damaged);
        while (pending.TryDequeue(out var entry))
        {
            if (!parents.TryGetValue((entry.Item2, entry.Item3), out var owners)) continue;
            foreach (var owner in owners)
                if (damaged.Add((entry.Item1, entry.Item2, owner))) pending.Enqueue((entry.Item1, entry.Item2, owner));
        }
        return damaged;
    }
}
