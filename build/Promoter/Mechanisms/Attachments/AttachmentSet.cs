using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Attachments;

/// <summary>What refers to one digest in one repository.</summary>
/// <param name="Subject">The digest the attachments are about.</param>
/// <param name="Tagged">The cosign tags found (<c>.sig</c>, <c>.att</c>, <c>.sbom</c>), in that order.</param>
/// <param name="Referrers">The manifests whose <c>subject</c> is the digest (from the referrers API, else the fallback tag).</param>
/// <param name="ReferrersIndex">The <c>sha256-&lt;hex&gt;</c> fallback index as stored, or null (none, or the registry has the API).</param>
/// <param name="HasReferrersApi">Whether the registry answered the referrers API (then no fallback tag is kept there).</param>
public sealed record AttachmentSet(Digest Subject, IReadOnlyList<TaggedAttachment> Tagged, IReadOnlyList<ReferrerEntry> Referrers,
    ManifestContent? ReferrersIndex, bool HasReferrersApi)
{
    /// <summary>True when nothing refers to the digest.</summary>
    public bool IsEmpty => Tagged.Count == 0 && Referrers.Count == 0;

    /// <summary>The tagged attachment of <paramref name="kind"/>, or null.</summary>
    public TaggedAttachment? Get(AttachmentKind kind) => Tagged.FirstOrDefault(t => t.Kind == kind);
}
