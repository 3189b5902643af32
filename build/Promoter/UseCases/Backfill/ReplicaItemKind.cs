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
