using Promoter.Attachments;
using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Promotion.Engine;

/// <summary>
/// What the registries hold for one digest bound for one destination repository, as far as its attachments matter: the
/// source's attachments, the destination's manifest under each cosign tag that was asked, whether a signature of the
/// signing key is already among them, and the referrers' presence. <see cref="AttachmentPlanner"/> gathers it;
/// <see cref="AttachmentRules.Plan"/> decides from it alone.
/// </summary>
/// <param name="Unit">The digest's edge, tagless (its digest is the subject).</param>
/// <param name="Source">What refers to the digest in the source (empty without <c>--copy-attachments</c>).</param>
/// <param name="Destination">For each cosign kind that was asked: the destination's manifest under its tag, or null when
/// absent. A kind neither in the source nor to be signed is not asked and not in the map.</param>
/// <param name="AlreadySigned">With a signer: a signature of its key for this digest and repository is already in the
/// destination's or the source's <c>.sig</c> (so none is added).</param>
/// <param name="ReferrersPresent">The source's referrers the destination already holds (by digest).</param>
/// <param name="DestinationReferrers">The destination's referrers of the digest, its fallback index and whether it has the
/// referrers API; null when the source has no referrers (nothing was asked).</param>
public sealed record AttachmentObservation(
    PromotionEdge Unit,
    AttachmentSet Source,
    IReadOnlyDictionary<AttachmentKind, ManifestContent?> Destination,
    bool AlreadySigned,
    IReadOnlySet<Digest> ReferrersPresent,
    (IReadOnlyList<ReferrerEntry> Entries, ManifestContent? Index, bool HasApi)? DestinationReferrers)
{
    /// <summary>With a signer: the promotion records among the destination's referrers of the digest, read with the signer's
    /// key (<see cref="Provenance.Evidence"/>); null when none was asked for (then no record is planned).</summary>
    public IReadOnlyList<AttestationEvidence>? DestinationRecords { get; init; }

    /// <summary>What a new promotion record needs (the subject's descriptor, the time, the builder); null with <see cref="DestinationRecords"/>.</summary>
    public RecordContext? Record { get; init; }
}
