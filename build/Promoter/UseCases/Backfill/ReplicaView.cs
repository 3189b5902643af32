using Promoter.Oci;

namespace Promoter.Backfill;

/// <summary>What kind of thing every replica of an image should hold.</summary>
public enum ReplicaItemKind
{
    /// <summary>A manifest by digest: a digest of the manifests, or a child of an index (its <see cref="ReplicaItem.Owner"/>).</summary>
    Manifest,
    /// <summary>A tag the manifests put on a digest.</summary>
    Tag,
    /// <summary>A blob of an image manifest (config or layer), asked with a HEAD and its size.</summary>
    Blob,
    /// <summary>A cosign tag (<c>sha256-&lt;hex&gt;.sig</c>, <c>.att</c>, <c>.sbom</c>) or the referrers fallback tag
    /// (<c>sha256-&lt;hex&gt;</c>) of a digest.</summary>
    Attachment,
    /// <summary>An OCI referrer (a manifest whose <c>subject</c> is the digest), by digest.</summary>
    Referrer,
}

/// <summary>One thing every replica of an image should hold.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Image">The image's path under each replica (the destination image of the manifests).</param>
/// <param name="Reference">A digest (manifest, referrer, blob) or a tag (tag, attachment).</param>
/// <param name="Owner">What the item belongs to: for a blob the image manifest listing it, for a child the index listing it,
/// for an attachment or referrer its subject; null for a digest the manifests name.</param>
public sealed record ReplicaItem(ReplicaItemKind Kind, string Image, string Reference, Digest? Owner = null)
{
    /// <summary>The item as a listing line names it, e.g. <c>tag foo:1.0</c>, <c>blob foo@sha256:… (of sha256:…)</c>.</summary>
    public override string ToString() => Kind switch
    {
        ReplicaItemKind.Manifest => Owner is { } index ? $"manifest {Image}@{Reference} (child of {index})" : $"manifest {Image}@{Reference}",
        ReplicaItemKind.Tag => $"tag {Image}:{Reference}",
        ReplicaItemKind.Blob => $"blob {Image}@{Reference} (of {Owner})",
        ReplicaItemKind.Attachment => $"attachment {Image}:{Reference}",
        _ => $"referrer {Image}@{Reference} (of {Owner})",
    };
}

/// <summary>What the replicas answered for one item.</summary>
/// <param name="Item">The item.</param>
/// <param name="Expected">What a healthy replica holds when the manifests say it (a tag's digest, a manifest's or referrer's
/// own digest, a blob's size from its descriptor); null when only the replicas can say (an attachment tag): then the value
/// most replicas hold, if one value has more holders than every other.</param>
/// <param name="Answers">Per replica asked (its registry name): what it holds - a digest, a blob's size, or a line saying
/// what is broken (a 5xx, another size) - or null when it holds nothing there. A replica not in the map was not asked (the
/// blobs of a manifest it lacks: copying the manifest brings them).</param>
public sealed record ItemView(ReplicaItem Item, string? Expected, IReadOnlyDictionary<string, string?> Answers);

/// <summary>Everything observed: the replicas in the order the manifests name them, and what each answered per item.</summary>
/// <param name="Replicas">Registry names, in manifest order (a healthy replica is picked as a source in this order).</param>
/// <param name="Items">The items, in the order they were listed.</param>
public sealed record ReplicaView(IReadOnlyList<string> Replicas, IReadOnlyList<ItemView> Items);

/// <summary>How a replica differs from what it should hold.</summary>
public enum ReplicaGap
{
    /// <summary>It holds nothing there.</summary>
    Missing,
    /// <summary>It holds something else there (a tag on another digest, a blob of another size, an answer that is a 5xx).</summary>
    Differs,
}

/// <summary>What Backfill does about a finding.</summary>
public enum BackfillAction
{
    /// <summary>Copy the item from the healthy replica <see cref="ReplicaFinding.From"/>.</summary>
    Copy,
    /// <summary>Refuse: a tag on another digest is never moved (reported; the pipeline's check phase refuses its edge).</summary>
    Refuse,
    /// <summary>No replica holds the item with the right digest: nothing to copy from (Backfill never reads the source registry).</summary>
    NoHealthyReplica,
}

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
