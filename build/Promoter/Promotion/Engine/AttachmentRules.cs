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
    (IReadOnlyList<ReferrerEntry> Entries, ManifestContent? Index, bool HasApi)? DestinationReferrers);

/// <summary>
/// The attachment rules (<c>Attachments/README.md</c>) as one pure function: from an <see cref="AttachmentObservation"/>,
/// the attachment edges (copy, already there, refused) and the manifests the run writes itself (merges, new signatures,
/// referrers indexes). No registry is asked.
/// </summary>
public static class AttachmentRules
{
    /// <summary>The edges and writes for one subject in one destination repository, every one carrying the subject.</summary>
    /// <param name="observation">What the registries hold.</param>
    /// <param name="signer">Signs the digest (<c>--sign</c>) when no signature of its key is there yet; null for no signing.</param>
    /// <exception cref="FormatException">An attachment manifest or referrers index in <paramref name="observation"/> is malformed.</exception>
    public static (List<PlannedEdge> Edges, List<AttachmentWrite> Writes) Plan(AttachmentObservation observation, IImageSigner? signer)
    {
        var edges = new List<PlannedEdge>();
        var writes = new List<AttachmentWrite>();
        var unit = observation.Unit;
        var subject = Digest.Parse(unit.Digest);
        var source = unit.SourceReference();
        var destination = unit.DestinationReference();

        foreach (var kind in AttachmentTags.CosignKinds)
        {
            if (!observation.Destination.TryGetValue(kind, out var inDestination)) continue;
            var fromSource = observation.Source.Get(kind);
            var sign = kind == AttachmentKind.Signature && signer is not null;
            var tag = AttachmentTags.For(subject, kind);
            var target = destination.WithTag(tag);
            var edge = fromSource is null ? null : unit with { Digest = fromSource.Manifest.Digest.Value, Tag = tag };
            if (!sign)
            {
                if (edge is null) continue;
                Carry(kind, edge, fromSource!, inDestination, target, source.WithTag(tag), source, edges, writes);
                continue;
            }
            Sign(signer!, observation.AlreadySigned, unit, subject, edge, fromSource, inDestination, target, source, edges, writes);
        }

        if (observation.Source.Referrers.Count > 0 && observation.DestinationReferrers is { } mine)
            Referrers(observation, mine, subject, destination, source, edges, writes);

        return (edges.Select(e => e with { Subject = subject }).ToList(), writes.Select(w => w with { Subject = subject }).ToList());
    }

    /// <summary>A cosign attachment carried as it is: copied, already there, merged (a <c>.sig</c> or <c>.att</c> whose
    /// destination holds other layers), or refused (an SBOM that differs: one document, never merged).</summary>
    private static void Carry(AttachmentKind kind, PromotionEdge edge, TaggedAttachment fromSource, ManifestContent? inDestination,
        ImageReference target, ImageReference sourceTagged, ImageReference source, List<PlannedEdge> edges, List<AttachmentWrite> writes)
    {
        if (inDestination is null)
            edges.Add(new PlannedEdge(edge, EdgeDecision.Copy, false, null));
        else if (inDestination.Digest == fromSource.Manifest.Digest)
            edges.Add(new PlannedEdge(edge, EdgeDecision.AlreadyPromoted, true, null));
        else if (kind == AttachmentKind.Sbom)
            edges.Add(new PlannedEdge(edge, EdgeDecision.Refused, false, inDestination.Digest,
                $"attachment: {target} holds {inDestination.Digest}, the source's SBOM is {fromSource.Manifest.Digest}; an SBOM is one document and is not merged (nothing is replaced)"));
        else
        {
            var mine = AttachmentManifests.ReadLayers(inDestination, target.ToString());
            var theirs = AttachmentManifests.ReadLayers(fromSource.Manifest, sourceTagged.ToString());
            var union = AttachmentManifests.Union(mine, theirs);
            if (union.Count == mine.Count) // the destination already holds every layer of the source's
                edges.Add(new PlannedEdge(edge, EdgeDecision.AlreadyPromoted, true, null));
            else
                writes.Add(Write(target, AttachmentManifests.BuildLayered(union), inDestination.Digest, source, theirs, new Dictionary<Digest, byte[]>(),
                    $"merge: {mine.Count} layer(s) kept, {union.Count - mine.Count} added from {fromSource.Manifest.Digest}"));
        }
    }

    /// <summary>
    /// Signing: the union of what the destination and the source hold, plus this run's signature unless one of the key
    /// for this digest and repository is already among them; copied as it is when the source's <c>.sig</c> is all there is.
    /// </summary>
    private static void Sign(IImageSigner signer, bool alreadySigned, PromotionEdge unit, Digest subject, PromotionEdge? edge,
        TaggedAttachment? fromSource, ManifestContent? inDestination, ImageReference target, ImageReference source,
        List<PlannedEdge> edges, List<AttachmentWrite> writes)
    {
        var tag = target.Tag!;
        var dockerReference = $"{unit.DestinationRegistry}/{unit.DestinationImage}";
        var destinationLayers = inDestination is null ? [] : AttachmentManifests.ReadLayers(inDestination, target.ToString());
        var sourceLayers = fromSource is null ? [] : AttachmentManifests.ReadLayers(fromSource.Manifest, source.WithTag(tag).ToString());
        var added = new Dictionary<Digest, byte[]>();
        var ours = new List<AttachmentLayer>();
        if (!alreadySigned)
        {
            var payload = new SimpleSigningPayload(dockerReference, subject).ToBytes();
            var layer = AttachmentManifests.Layer(AttachmentManifests.SimpleSigningMediaType, payload,
                new Dictionary<string, string> { [AttachmentManifests.SignatureAnnotation] = signer.Sign(payload) });
            added[layer.Digest] = payload;
            ours.Add(layer);
        }
        var desired = AttachmentManifests.Union(destinationLayers, sourceLayers, ours);
        if (inDestination is not null && desired.Count == destinationLayers.Count)
        {
            edges.Add(new PlannedEdge(edge ?? unit with { Digest = inDestination.Digest.Value, Tag = tag }, EdgeDecision.AlreadyPromoted, true, null));
            return;
        }
        if (inDestination is null && edge is not null && ours.Count == 0)
        {
            edges.Add(new PlannedEdge(edge, EdgeDecision.Copy, false, null));
            return;
        }
        var built = AttachmentManifests.BuildLayered(desired);
        added[built.ConfigDigest!.Value] = built.Config;
        var what = (ours.Count > 0 ? $"signed by {signer.Description}" : "merge") +
                   $": {destinationLayers.Count} layer(s) kept, {desired.Count - destinationLayers.Count - ours.Count} from the source, {ours.Count} new";
        writes.Add(Write(target, built, inDestination?.Digest, source, sourceLayers, added, what));
    }

    /// <summary>
    /// OCI referrers: each copied by digest unless present; where the destination has no referrers API, its fallback index
    /// (<c>sha256-&lt;hex&gt;</c>) is copied from the source, left as it is when it lists them all, or written as the union.
    /// </summary>
    private static void Referrers(AttachmentObservation observation, (IReadOnlyList<ReferrerEntry> Entries, ManifestContent? Index, bool HasApi) mine,
        Digest subject, ImageReference destination, ImageReference source, List<PlannedEdge> edges, List<AttachmentWrite> writes)
    {
        var unit = observation.Unit;
        var found = observation.Source;
        foreach (var referrer in found.Referrers)
        {
            var present = observation.ReferrersPresent.Contains(referrer.Digest);
            edges.Add(new PlannedEdge(unit with { Digest = referrer.Digest.Value }, present ? EdgeDecision.AlreadyPromoted : EdgeDecision.Copy, present, null));
        }
        if (mine.HasApi) return;
        var tag = AttachmentTags.For(subject, AttachmentKind.ReferrersIndex);
        var union = AttachmentManifests.Union(mine.Entries, found.Referrers);
        if (mine.Index is null && found.ReferrersIndex is { } sourceIndex)
            edges.Add(new PlannedEdge(unit with { Digest = sourceIndex.Digest.Value, Tag = tag }, EdgeDecision.Copy, false, null));
        else if (mine.Index is { } index && union.Count == mine.Entries.Count)
            edges.Add(new PlannedEdge(unit with { Digest = (found.ReferrersIndex ?? index).Digest.Value, Tag = tag }, EdgeDecision.AlreadyPromoted, true, null));
        else
            writes.Add(Write(destination.WithTag(tag), AttachmentManifests.BuildIndex(union), mine.Index?.Digest, source, [], new Dictionary<Digest, byte[]>(),
                $"referrers index: {mine.Entries.Count} entr(ies) kept, {union.Count - mine.Entries.Count} added"));
    }

    private static AttachmentWrite Write(ImageReference target, BuiltManifest built, Digest? previous, ImageReference source,
        IReadOnlyList<AttachmentLayer> copied, Dictionary<Digest, byte[]> added, string what)
    {
        if (built.ConfigDigest is { } config) added.TryAdd(config, built.Config);
        return new AttachmentWrite(target, built, previous, source with { Tag = null, Digest = null }, copied, added, what);
    }
}
