using System.Collections.Concurrent;
using Promoter.Attachments;
using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Promotion.Engine;

/// <summary>
/// An attachment manifest a promotion writes itself rather than copies: a merged or newly signed <c>.sig</c>, a merged
/// <c>.att</c>, or a referrers index (<c>sha256-&lt;hex&gt;</c>). These are the only manifests whose bytes the promoter
/// makes; see <c>Attachments/README.md</c> for when each is written.
/// </summary>
/// <param name="Destination">The destination repository and the attachment tag.</param>
/// <param name="Built">The manifest (and config blob) to write.</param>
/// <param name="Previous">The digest the tag named when planned (the manifest merged into), or null when absent; the tag
/// is written only if it still names it.</param>
/// <param name="BlobSource">The source repository the <paramref name="CopiedBlobs"/> come from.</param>
/// <param name="CopiedBlobs">Layers to copy from the source repository (those the destination already holds are not moved).</param>
/// <param name="NewBlobs">Blobs made by this run (signature payloads, the config), by digest.</param>
/// <param name="What">One line for the plan, e.g. <c>merge of 1 source signature(s) into 2</c>.</param>
public sealed record AttachmentWrite(ImageReference Destination, BuiltManifest Built, Digest? Previous, ImageReference BlobSource,
    IReadOnlyList<AttachmentLayer> CopiedBlobs, IReadOnlyDictionary<Digest, byte[]> NewBlobs, string What)
{
    /// <summary>The digest the written manifest refers to (the signed or attested image, or the referrers' subject).</summary>
    public Digest? Subject { get; init; }

    /// <summary>The plan line: <c>WRITE dst/img:sha256-….sig @sha256:… (what)</c>.</summary>
    public override string ToString() => $"WRITE {Destination} as {Built.Manifest.Digest} ({What})";
}

/// <summary>
/// Adds to a plan what refers to each digest it promotes (children of an index included): for every destination, the
/// cosign tags and referrers the source holds, as extra edges (copied by digest, so they print in the plan), merges
/// where the destination already holds other content under an attachment tag, new signatures (<see cref="PromotionPolicy.Signer"/>),
/// and refusals of unsigned source digests (<see cref="PromotionPolicy.RequiredSignature"/>). HEAD/GET requests only.
/// The rules are in <c>Attachments/README.md</c>.
/// </summary>
internal sealed class AttachmentPlanner(RegistryPool registries, PromotionPolicy policy)
{
    private readonly AttachmentFinder _finder = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<AttachmentSet>>> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<Digest>>>> _children = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> _blobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<ManifestContent>>> _manifests = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, string> _sourceMediaTypes = new Dictionary<string, string>();

    /// <summary>True when the policy asks for anything this planner does.</summary>
    public static bool IsNeeded(PromotionPolicy policy) =>
        policy.CopyAttachments || policy.Signer is not null || policy.RequiredSignature is not null || policy.RequiredProvenance is not null
        || policy.LostEdges == LostEdgePolicy.Fail;

    /// <summary>
    /// The plan with each unsigned source digest's edges refused in place, the attachment edges and writes added after the
    /// plan's own edges, and the children of every index it read (<see cref="PromotionPlan.IndexChildren"/>); children are read
    /// also without attachments when a refusal covers a digest, for <see cref="RefusalClosure"/> to refuse an index listing it.
    /// </summary>
    /// <exception cref="RegistryException">A registry could not be asked.</exception>
    /// <exception cref="FormatException">An attachment manifest or referrers index in a registry is malformed.</exception>
    public async Task<PromotionPlan> ExtendAsync(PromotionPlan plan, CancellationToken cancellationToken)
    {
        _sourceMediaTypes = plan.SourceMediaTypes;
        static bool IsLive(PlannedEdge e) => e.Decision is not (EdgeDecision.Lost or EdgeDecision.RefusedTagMove or EdgeDecision.RefusedOverlap or EdgeDecision.Refused);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, policy.Threads), CancellationToken = cancellationToken };

        // Refusals first: a source digest without a valid signature refuses its edge, in place (the edge is the refusal; it is
        // not planned as a copy beside it), and everything planned below for it is refused with it by RefusalClosure.
        var edges = plan.Edges.ToArray();
        if (policy.RequiredSignature is { } verifier)
        {
            var positions = plan.Edges.Select((e, i) => (e, i)).Where(p => IsLive(p.e)).ToList();
            await Parallel.ForEachAsync(positions, parallel, async (item, ct) =>
            {
                var problem = await CheckSourceSignatureAsync(item.e.Edge, verifier, ct);
                if (problem is not null)
                    edges[item.i] = item.e with
                    {
                        Decision = EdgeDecision.Refused,
                        RefusesDigest = true,
                        Reason = $"unsigned: {item.e.Edge.SourceReference()} has no signature valid for key {verifier.Fingerprint} ({problem}); " +
                                 $"not promoted to {item.e.Edge.DestinationReference()}",
                    };
            });
        }
        // Provenance likewise (--require-provenance): an edge still live whose source digest's SLSA provenance is missing or
        // wrong is refused in place; the check is AttachmentRules.ProvenanceProblem over what the source holds.
        if (policy.RequiredProvenance is { } provenance)
        {
            var positions = edges.Select((e, i) => (e, i)).Where(p => IsLive(p.e)).ToList();
            await Parallel.ForEachAsync(positions, parallel, async (item, ct) =>
            {
                var source = item.e.Edge.SourceReference();
                var evidence = await SourceProvenanceAsync(source, provenance.Key, ct);
                var problem = AttachmentRules.ProvenanceProblem(evidence, source.Digest!.Value, provenance);
                if (problem is not null)
                    edges[item.i] = item.e with
                    {
                        Decision = EdgeDecision.Refused,
                        RefusesDigest = true,
                        Reason = $"provenance: {source} {problem}; not promoted to {item.e.Edge.DestinationReference()}",
                    };
            });
        }
        var refusesDigest = edges.Any(e => e.RefusesDigest || (policy.LostEdges == LostEdgePolicy.Fail && e.Decision == EdgeDecision.Lost));
        var attachments = policy.CopyAttachments || policy.Signer is not null;
        if (!attachments && !refusesDigest)
            return new PromotionPlan(edges, plan.AttachmentWrites) { Unserved = plan.Unserved, SourceMediaTypes = plan.SourceMediaTypes, NewRepositories = plan.NewRepositories };

        // One unit per (destination repository, digest), the digests of an index's children included. Keyed by the
        // edge's own strings and sorted without building its text: at 300,000 edges, key and sort strings per unit
        // were the largest thing the plan held.
        var units = new Dictionary<(string, string, string, string, string), PromotionEdge>();
        foreach (var planned in edges)
        {
            if (!IsLive(planned)) continue;
            var e = planned.Edge;
            units.TryAdd(UnitKey(e), e.Tag is null ? e : e with { Tag = null });
        }
        var expanded = new ConcurrentBag<PromotionEdge>();
        var indexChildren = new ConcurrentDictionary<Digest, IReadOnlyList<Digest>>();
        await Parallel.ForEachAsync(units.Values, parallel, async (unit, ct) =>
        {
            expanded.Add(unit);
            var children = await ChildrenAsync(unit, ct);
            if (children.Count > 0) indexChildren.TryAdd(Digest.Parse(unit.Digest), children);
            foreach (var child in children) expanded.Add(unit with { Digest = child.Value });
        });
        var childrenByIndex = plan.IndexChildren.Count == 0 ? indexChildren.ToDictionary()
            : plan.IndexChildren.Concat(indexChildren).DistinctBy(p => p.Key).ToDictionary();
        if (!attachments)
            return new PromotionPlan(edges, plan.AttachmentWrites)
            {
                Unserved = plan.Unserved, SourceMediaTypes = plan.SourceMediaTypes, NewRepositories = plan.NewRepositories, IndexChildren = childrenByIndex,
            };
        units.Clear();
        units.TrimExcess();
        var subjects = expanded.DistinctBy(UnitKey).ToList();
        expanded.Clear();
        subjects.Sort(TextOrder.Instance);

        var results = new (List<PlannedEdge> Edges, List<AttachmentWrite> Writes)[subjects.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, subjects.Count), parallel, async (i, ct) =>
            results[i] = await PlanSubjectAsync(subjects[i], ct));

        var all = new List<PlannedEdge>(edges);
        foreach (var result in results) all.AddRange(result.Edges);
        return new PromotionPlan(all, [.. plan.AttachmentWrites, .. results.SelectMany(r => r.Writes)])
        {
            Unserved = plan.Unserved, SourceMediaTypes = plan.SourceMediaTypes, NewRepositories = plan.NewRepositories, IndexChildren = childrenByIndex,
        };
    }

    /// <summary>A unit's identity: source repository, destination repository and digest (the tag is not part of it).</summary>
    private static (string, string, string, string, string) UnitKey(PromotionEdge e) =>
        (e.SourceRegistry, e.SourceImage, e.DestinationRegistry, e.DestinationImage, e.Digest);

    /// <summary>
    /// Orders tagless edges as <c>StringComparer.Ordinal</c> orders their text (<see cref="PromotionEdge.ToString"/>:
    /// <c>src/img@digest -> dst/img@digest</c>) without making it: the plan lists attachment edges in that order.
    /// </summary>
    private sealed class TextOrder : IComparer<PromotionEdge>
    {
        public static readonly TextOrder Instance = new();
        private const int Parts = 11;

        private static string Part(PromotionEdge e, int i) => i switch
        {
            0 => e.SourceRegistry, 1 => "/", 2 => e.SourceImage, 3 => "@", 4 => e.Digest, 5 => " -> ",
            6 => e.DestinationRegistry, 7 => "/", 8 => e.DestinationImage, 9 => "@", _ => e.Digest,
        };

        public int Compare(PromotionEdge? a, PromotionEdge? b)
        {
            if (ReferenceEquals(a, b)) return 0;
            if (a is null || b is null) return a is null ? -1 : 1;
            int pa = 0, ca = 0, pb = 0, cb = 0;
            while (true)
            {
                while (pa < Parts && ca >= Part(a, pa).Length) { pa++; ca = 0; }
                while (pb < Parts && cb >= Part(b, pb).Length) { pb++; cb = 0; }
                if (pa == Parts || pb == Parts) return (pa == Parts ? 0 : 1) - (pb == Parts ? 0 : 1);
                var x = Part(a, pa)[ca++];
                var y = Part(b, pb)[cb++];
                if (x != y) return x.CompareTo(y);
            }
        }
    }

    /// <summary>What to do for one digest bound for one destination repository (<paramref name="unit"/> is tagless):
    /// observed here, decided by <see cref="AttachmentRules.Plan"/>.</summary>
    private async Task<(List<PlannedEdge>, List<AttachmentWrite>)> PlanSubjectAsync(PromotionEdge unit, CancellationToken ct) =>
        AttachmentRules.Plan(await ObserveAsync(unit, ct), policy.Signer);

    /// <summary>
    /// Asks what <see cref="AttachmentRules.Plan"/> needs, and nothing more: the source's attachments (with
    /// <c>--copy-attachments</c>); the destination's manifest under each cosign tag the source has or the run signs; with a
    /// signer, the signature payloads in order until one of its key verifies; with source referrers, a HEAD of each in the
    /// destination and the destination's referrers.
    /// </summary>
    private async Task<AttachmentObservation> ObserveAsync(PromotionEdge unit, CancellationToken ct)
    {
        var subject = Digest.Parse(unit.Digest);
        var source = unit.SourceReference();
        var destination = unit.DestinationReference();
        var to = registries.For(destination.Registry);
        var found = policy.CopyAttachments
            ? await SourceAttachmentsAsync(source, subject, ct)
            : new AttachmentSet(subject, [], [], null, false);

        var inDestination = new Dictionary<AttachmentKind, ManifestContent?>();
        foreach (var kind in AttachmentTags.CosignKinds)
            if (found.Get(kind) is not null || (kind == AttachmentKind.Signature && policy.Signer is not null))
                inDestination[kind] = await AttachmentFinder.GetIfPresentAsync(to, destination.Repository, AttachmentTags.For(subject, kind), ct);

        var signed = false;
        if (policy.Signer is { } signer)
        {
            var tag = AttachmentTags.For(subject, AttachmentKind.Signature);
            var mine = inDestination[AttachmentKind.Signature] is { } held ? AttachmentManifests.ReadLayers(held, destination.WithTag(tag).ToString()) : [];
            var theirs = found.Get(AttachmentKind.Signature) is { } sig ? AttachmentManifests.ReadLayers(sig.Manifest, source.WithTag(tag).ToString()) : [];
            var dockerReference = $"{unit.DestinationRegistry}/{unit.DestinationImage}";
            foreach (var layer in AttachmentManifests.Union(mine, theirs).Where(l => l.MediaType == AttachmentManifests.SimpleSigningMediaType
                                                                                   && l.Annotations.ContainsKey(AttachmentManifests.SignatureAnnotation)))
            {
                var payload = await BlobAsync(mine.Any(l => l.Digest == layer.Digest) ? destination : source, layer.Digest, ct);
                if (signer.Verifier.Check(layer, payload, subject, dockerReference) is null) { signed = true; break; }
            }
        }

        var present = new HashSet<Digest>();
        (IReadOnlyList<ReferrerEntry> Entries, ManifestContent? Index, bool HasApi)? referrers = null;
        if (found.Referrers.Count > 0)
        {
            foreach (var referrer in found.Referrers)
                if (await to.HeadManifestAsync(destination.Repository, referrer.Digest.Value, ct) is not null) present.Add(referrer.Digest);
            referrers = await _finder.FindReferrersAsync(to, destination.Repository, subject, ct);
        }

        // With a signer, the promotion records the destination already lists for the digest, read with its key; the subject's
        // descriptor (one GET of the source manifest, shared by the destinations) only when none of them is this run's record.
        IReadOnlyList<AttestationEvidence>? records = null;
        RecordContext? context = null;
        if (policy.Signer is { } recorder)
        {
            referrers ??= await _finder.FindReferrersAsync(to, destination.Repository, subject, ct);
            var evidence = new List<AttestationEvidence>();
            foreach (var entry in referrers.Value.Entries)
            {
                var (artifactType, predicateType) = Provenance.Describe(entry);
                if ((artifactType is not null && artifactType != Provenance.BundleMediaType)
                    || (predicateType is not null && predicateType != Provenance.PromotionPredicateType)) continue;
                evidence.AddRange(await BundleEvidenceAsync(destination, entry, recorder.Verifier, ct));
            }
            records = evidence;
            if (!AttachmentRules.HasPromotionRecord(records, subject, $"{unit.DestinationRegistry}/{unit.DestinationImage}@{subject}"))
            {
                var manifest = await SubjectManifestAsync(source, ct);
                context = new RecordContext(manifest.MediaType, manifest.Bytes.Length, DateTimeOffset.UtcNow, Provenance.BuilderId);
            }
        }
        return new AttachmentObservation(unit, found, inDestination, signed, present, referrers)
        {
            DestinationRecords = records, Record = context,
        };
    }

    /// <summary>
    /// The signed statements of a source digest (<c>--require-provenance</c>): each DSSE layer of its <c>.att</c> and each
    /// sigstore bundle among its referrers, read with <paramref name="key"/>. What cannot be read is evidence too (unreadable).
    /// </summary>
    private async Task<IReadOnlyList<AttestationEvidence>> SourceProvenanceAsync(ImageReference source, SignatureVerifier key, CancellationToken ct)
    {
        var subject = source.Digest!.Value;
        var found = await SourceAttachmentsAsync(source, subject, ct);
        var evidence = new List<AttestationEvidence>();
        if (found.Get(AttachmentKind.Attestation) is { } attestation)
        {
            foreach (var layer in AttachmentManifests.ReadLayers(attestation.Manifest, source.WithTag(attestation.Tag).ToString()))
            {
                if (layer.MediaType != Dsse.EnvelopeMediaType) continue;
                var location = $"{source.WithTag(attestation.Tag)} layer {layer.Digest}";
                try
                {
                    evidence.Add(Provenance.Evidence(Dsse.Parse(await BlobAsync(source, layer.Digest, ct), location), key, location));
                }
                catch (FormatException e)
                {
                    evidence.Add(new AttestationEvidence(location, layer.Annotations.GetValueOrDefault(Dsse.PredicateTypeAnnotation) ?? "", false, [])
                    {
                        Unreadable = e.Message,
                    });
                }
            }
        }
        foreach (var entry in found.Referrers)
        {
            var (artifactType, _) = Provenance.Describe(entry);
            if (artifactType is not null && artifactType != Provenance.BundleMediaType) continue;
            evidence.AddRange(await BundleEvidenceAsync(source with { Tag = null, Digest = null }, entry, key, ct));
        }
        return evidence;
    }

    /// <summary>The statements of the sigstore bundles a referrer holds (one GET of the referrer, one per bundle blob), read with <paramref name="key"/>.</summary>
    private async Task<IReadOnlyList<AttestationEvidence>> BundleEvidenceAsync(ImageReference repository, ReferrerEntry entry, SignatureVerifier key,
        CancellationToken ct)
    {
        var where = repository with { Tag = null, Digest = null };
        var referrer = await registries.For(where.Registry).GetManifestAsync(where.Repository, entry.Digest.Value, ct);
        var evidence = new List<AttestationEvidence>();
        IReadOnlyList<AttachmentLayer> layers;
        try { layers = Provenance.BundleLayers(referrer, where.WithDigest(entry.Digest).ToString()); }
        catch (FormatException e)
        {
            return [new AttestationEvidence(where.WithDigest(entry.Digest).ToString(), "", false, []) { Unreadable = e.Message }];
        }
        foreach (var layer in layers)
        {
            var location = $"{where.WithDigest(entry.Digest)} bundle {layer.Digest}";
            try
            {
                var (envelope, _) = Provenance.ReadBundle(await BlobAsync(where, layer.Digest, ct), location);
                evidence.Add(Provenance.Evidence(envelope, key, location));
            }
            catch (FormatException e)
            {
                evidence.Add(new AttestationEvidence(location, "", false, []) { Unreadable = e.Message });
            }
        }
        return evidence;
    }

    /// <summary>The source manifest of an edge's digest (its media type and size make a record's <c>subject</c>), read once per plan.</summary>
    private Task<ManifestContent> SubjectManifestAsync(ImageReference source, CancellationToken ct)
    {
        var key = $"{registries.Resolve(source.Registry).Address}/{source.Repository}@{source.Digest!.Value}";
        return _manifests.GetOrAdd(key, _ => new Lazy<Task<ManifestContent>>(() =>
            registries.For(source.Registry).GetManifestAsync(source.Repository, source.Digest!.Value.Value, ct))).Value;
    }

    /// <summary>Why the source digest of <paramref name="edge"/> has no valid signature for <paramref name="verifier"/>, or null when it has one.</summary>
    private async Task<string?> CheckSourceSignatureAsync(PromotionEdge edge, SignatureVerifier verifier, CancellationToken ct)
    {
        var source = edge.SourceReference();
        var subject = source.Digest!.Value;
        var found = await SourceAttachmentsAsync(source, subject, ct);
        if (found.Get(AttachmentKind.Signature) is not { } signature) return $"no {AttachmentTags.For(subject, AttachmentKind.Signature)} tag";
        var problems = new List<string>();
        foreach (var layer in AttachmentManifests.ReadLayers(signature.Manifest, source.WithTag(signature.Tag).ToString()))
        {
            // The spec: critical.identity.docker-reference is ignored by verifiers; the digest must match.
            var problem = verifier.Check(layer, await BlobAsync(source, layer.Digest, ct), subject);
            if (problem is null) return null;
            problems.Add(problem.Reason);
        }
        return problems.Count == 0 ? "the signature manifest has no layers" : string.Join("; ", problems);
    }

    private Task<AttachmentSet> SourceAttachmentsAsync(ImageReference source, Digest subject, CancellationToken ct)
    {
        var key = $"{registries.Resolve(source.Registry).Address}/{source.Repository}@{subject.Value}";
        return _sources.GetOrAdd(key, _ => new Lazy<Task<AttachmentSet>>(() =>
            _finder.FindAsync(registries.For(source.Registry), source.Repository, subject, ct))).Value;
    }

    /// <summary>
    /// The children of an index in the source (empty for an image manifest): one GET per source index, none for a digest
    /// the plan's HEAD already showed to be an image manifest (<see cref="PromotionPlan.SourceMediaTypes"/>).
    /// </summary>
    private Task<IReadOnlyList<Digest>> ChildrenAsync(PromotionEdge unit, CancellationToken ct)
    {
        var source = unit.SourceReference();
        var key = $"{registries.Resolve(source.Registry).Address}/{source.Repository}@{unit.Digest}";
        if (_sourceMediaTypes.TryGetValue(key, out var mediaType) && MediaTypes.IsImageManifest(mediaType))
            return Task.FromResult<IReadOnlyList<Digest>>([]);
        return _children.GetOrAdd(key, _ => new Lazy<Task<IReadOnlyList<Digest>>>(async () =>
        {
            var manifest = await registries.For(source.Registry).GetManifestAsync(source.Repository, unit.Digest, ct);
            var document = manifest.Parse(source.ToString());
            return document.IsIndex ? document.Manifests.Select(m => m.ParsedDigest).ToList() : [];
        })).Value;
    }

    /// <summary>A small blob (a signature payload), read once per plan, verified against its digest.</summary>
    private Task<byte[]> BlobAsync(ImageReference repository, Digest digest, CancellationToken ct)
    {
        var key = $"{registries.Resolve(repository.Registry).Address}/{repository.Repository}@{digest.Value}";
        return _blobs.GetOrAdd(key, _ => new Lazy<Task<byte[]>>(async () =>
        {
            await using var stream = await registries.For(repository.Registry).GetBlobAsync(repository.Repository, digest, ct);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            var bytes = buffer.ToArray();
            if (Digest.Of(bytes) != digest)
                throw new RegistryException($"get blob {repository.Name}@{digest}: the bytes served hash to {Digest.Of(bytes)}.", $"{repository.Name}@{digest}");
            return bytes;
        })).Value;
    }
}
