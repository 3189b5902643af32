using Promoter.Oci;

namespace Promoter.Backfill;

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
