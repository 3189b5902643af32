namespace Promoter.Backfill;

/// <summary>One item one replica lacks or holds otherwise.</summary>
/// <param name="Replica">The replica (registry name).</param>
/// <param name="Item">The item.</param>
/// <param name="Gap">Missing or differing.</param>
/// <param name="Held">What the replica holds there (null when missing).</param>
/// <param name="Expected">What it should hold; null when the replicas disagree with no majority.</param>
/// <param name="From">The healthy replica to copy from (the first in manifest order that holds the item with the right
/// digest, and, for a manifest or tag, the manifest's blobs and children); null when none does.</param>
/// <param name="Action">What Backfill does.</param>
public sealed record ReplicaFinding(string Replica, ReplicaItem Item, ReplicaGap Gap, string? Held, string? Expected, string? From, BackfillAction Action)
{
    /// <summary>One line of the listing, e.g. <c>MISSING tag foo:1.0 (sha256:…): copy from eu.test</c>.</summary>
    public override string ToString()
    {
        var what = Gap == ReplicaGap.Missing
            ? $"MISSING {Item} ({Expected ?? "the replicas disagree"})"
            : $"DIFFERS {Item}: holds {Held}, " + (Expected is null ? "the replicas disagree" : $"should hold {Expected}");
        return Action switch
        {
            BackfillAction.Copy => $"{what}: copy from {From}",
            BackfillAction.Refuse => $"{what}: refused, a tag is never moved",
            _ => $"{what}: no healthy replica holds it",
        };
    }
}
