using Promoter.Attachments;
using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Promotion.Engine;

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

        var added = new List<ReferrerEntry>();
        if (signer is not null && observation.DestinationRecords is { } records && observation.Record is { } context)
        {
            var destinationRepository = $"{unit.DestinationRegistry}/{unit.DestinationImage}";
            if (!HasPromotionRecord(records, subject, $"{destinationRepository}@{subject}"))
            {
                var record = Provenance.Record(signer, $"{unit.SourceRegistry}/{unit.SourceImage}@{subject}", destinationRepository, subject,
                    context.SubjectMediaType, context.SubjectSize, context.Time, context.BuilderId);
                writes.Add(Write(destination with { Tag = null, Digest = null }, record.Built, null, source, [],
                    new Dictionary<Digest, byte[]> { [Digest.Of(record.Bundle)] = record.Bundle },
                    $"promotion record signed by {signer.Description}, {Provenance.Timestamp(context.Time)}"));
                added.Add(record.Entry);
            }
        }

        if ((observation.Source.Referrers.Count > 0 || added.Count > 0) && observation.DestinationReferrers is { } mine)
            Referrers(observation, mine, added, subject, destination, source, edges, writes);

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
    /// (<c>sha256-&lt;hex&gt;</c>) is copied from the source, left as it is when it lists them all, or written as the union
    /// (the destination's entries, the source's, then <paramref name="added"/>: the referrers this run writes itself, a
    /// promotion record).
    /// </summary>
    private static void Referrers(AttachmentObservation observation, (IReadOnlyList<ReferrerEntry> Entries, ManifestContent? Index, bool HasApi) mine,
        IReadOnlyList<ReferrerEntry> added, Digest subject, ImageReference destination, ImageReference source, List<PlannedEdge> edges,
        List<AttachmentWrite> writes)
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
        var union = AttachmentManifests.Union(AttachmentManifests.Union(mine.Entries, found.Referrers), added);
        if (mine.Index is null && found.ReferrersIndex is { } sourceIndex && added.Count == 0)
            edges.Add(new PlannedEdge(unit with { Digest = sourceIndex.Digest.Value, Tag = tag }, EdgeDecision.Copy, false, null));
        else if (mine.Index is { } index && union.Count == mine.Entries.Count)
            edges.Add(new PlannedEdge(unit with { Digest = (found.ReferrersIndex ?? index).Digest.Value, Tag = tag }, EdgeDecision.AlreadyPromoted, true, null));
        else
            writes.Add(Write(destination.WithTag(tag), AttachmentManifests.BuildIndex(union), mine.Index?.Digest, source, [], new Dictionary<Digest, byte[]>(),
                $"referrers index: {mine.Entries.Count} entr(ies) kept, {union.Count - mine.Entries.Count} added"));
    }

    /// <summary>
    /// True when <paramref name="records"/> holds a promotion record of the key for <paramref name="digest"/> in this
    /// destination: predicate type <see cref="Provenance.PromotionPredicateType"/>, signed by the key, the digest among its
    /// subjects, and <c>dstRef</c> = <paramref name="destinationReference"/> (<c>registry/image@digest</c>). Its timestamp
    /// (and so its bytes) does not matter: a rerun finds the record, it does not remake equal bytes.
    /// </summary>
    public static bool HasPromotionRecord(IReadOnlyList<AttestationEvidence> records, Digest digest, string destinationReference) =>
        records.Any(r => r.Unreadable is null && r.PredicateType == Provenance.PromotionPredicateType && r.SignedByKey
                         && r.Subjects.Contains(digest) && r.DestinationReference == destinationReference);

    /// <summary>
    /// Why <paramref name="digest"/>'s SLSA provenance does not satisfy <paramref name="requirement"/>, or null when one
    /// attestation of predicate type <see cref="Provenance.SlsaProvenanceV1"/> among <paramref name="found"/> (its cosign
    /// <c>.att</c> envelopes and bundle referrers) is signed by the key, names the digest as a subject, and names the builder
    /// and the source repository asked for. None at all is "missing" (no refusal under <see cref="ProvenanceMode.VerifyIfPresent"/>);
    /// otherwise the message gives each attestation's faults.
    /// </summary>
    public static string? ProvenanceProblem(IReadOnlyList<AttestationEvidence> found, Digest digest, ProvenanceRequirement requirement)
    {
        var slsa = found.Where(e => e.PredicateType == Provenance.SlsaProvenanceV1).ToList();
        if (slsa.Count == 0)
            return requirement.Mode == ProvenanceMode.VerifyIfPresent ? null
                : $"missing: no SLSA provenance ({Provenance.SlsaProvenanceV1}) in its .att or its referrers";
        var faults = new List<string>();
        foreach (var evidence in slsa)
        {
            var wrong = new List<string>();
            if (evidence.Unreadable is { } why) wrong.Add($"unreadable ({why})");
            if (!evidence.SignedByKey) wrong.Add($"wrong key: not signed by {requirement.Key.Fingerprint}");
            if (!evidence.Subjects.Contains(digest))
                wrong.Add($"wrong subject: names {(evidence.Subjects.Count == 0 ? "no digest" : string.Join(", ", evidence.Subjects))}, not {digest}");
            if (requirement.BuilderId is { } builder && !BuilderMatches(evidence.BuilderId, builder))
                wrong.Add($"wrong builder: {evidence.BuilderId ?? "(none)"}, not {builder}");
            if (requirement.SourceRepository is { } repository && !evidence.SourceRepositories.Any(s => SameRepository(s, repository)))
                wrong.Add($"wrong source repository: {(evidence.SourceRepositories.Count == 0 ? "(none)" : string.Join(", ", evidence.SourceRepositories))}, not {repository}");
            if (wrong.Count == 0) return null;
            faults.Add($"{evidence.Location}: {string.Join("; ", wrong)}");
        }
        return string.Join(" | ", faults);
    }

    /// <summary>The builder asked for: equal, or (asked without <c>@</c>) the same builder at any ref, as kpromo's policy matches.</summary>
    private static bool BuilderMatches(string? found, string asked) =>
        found is not null && (found == asked || (!asked.Contains('@') && found.StartsWith(asked + "@", StringComparison.Ordinal)));

    /// <summary>Two repository names are the same once <c>git+</c>, the scheme, an <c>@ref</c>, <c>.git</c> and a trailing <c>/</c> are set aside.</summary>
    private static bool SameRepository(string found, string asked) => string.Equals(RepositoryKey(found), RepositoryKey(asked), StringComparison.OrdinalIgnoreCase);

    private static string RepositoryKey(string uri)
    {
        var key = uri.StartsWith("git+", StringComparison.Ordinal) ? uri[4..] : uri;
        var scheme = key.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) key = key[(scheme + 3)..];
        var at = key.IndexOf('@');
        if (at >= 0) key = key[..at];
        key = key.TrimEnd('/');
        return key.EndsWith(".git", StringComparison.Ordinal) ? key[..^4] : key;
    }

    private static AttachmentWrite Write(ImageReference target, BuiltManifest built, Digest? previous, ImageReference source,
        IReadOnlyList<AttachmentLayer> copied, Dictionary<Digest, byte[]> added, string what)
    {
        if (built.ConfigDigest is { } config) added.TryAdd(config, built.Config);
        return new AttachmentWrite(target, built, previous, source with { Tag = null, Digest = null }, copied, added, what);
    }
}
