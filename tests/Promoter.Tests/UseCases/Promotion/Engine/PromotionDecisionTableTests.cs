using System.Security.Cryptography;
using System.Text;
using FluentAssertions;
using Promoter.Attachments;
using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;
using Xunit;

namespace Promoter.Tests.Promotion.Engine;

/// <summary>
/// Every promotion decision as rows of a table over the pure rules (<see cref="PromotionRules"/>, <see cref="AttachmentRules"/>,
/// <c>PlanDrift</c>, <see cref="PromotionShard"/>): what the registries answered goes in, the decision comes out. No registry,
/// no network, no files. (<see cref="RefusalClosureTests"/> holds the refusal closure's rows.)
/// </summary>
[Trait("Category", "Decisions")]
public sealed class PromotionDecisionTableTests
{
    private static readonly Digest Wanted = D("wanted"), Other = D("other");

    private static Digest D(string seed) => Digest.Of(Encoding.UTF8.GetBytes(seed));

    private static PromotionEdge Edge(string? tag, Digest? digest = null, string destination = "prod.test") =>
        new("stage.test", "img", (digest ?? Wanted).Value, destination, "img", tag);

    // ---- PromotionRules.Decide: one edge, what the registries answered ----------------------------------------------

    public static TheoryData<string, string?, bool, Digest?, bool, bool, EdgeDecision, bool> EdgeRows() => new()
    {
        { "source lacks the digest: lost", "1.0", false, null, false, false, EdgeDecision.Lost, false },
        { "source lacks the digest, tagless: lost", null, false, null, false, false, EdgeDecision.Lost, false },
        { "source lacks it even when the destination has it: lost", "1.0", false, Wanted, true, false, EdgeDecision.Lost, false },
        { "tagless, digest absent: copy", null, true, null, false, false, EdgeDecision.Copy, false },
        { "tagless, digest present: already promoted", null, true, null, true, false, EdgeDecision.AlreadyPromoted, true },
        { "tag on the digest: already promoted", "1.0", true, Wanted, true, false, EdgeDecision.AlreadyPromoted, true },
        { "tag absent, digest present: add the tag", "1.0", true, null, true, false, EdgeDecision.AddTag, true },
        { "tag absent, digest absent: copy", "1.0", true, null, false, false, EdgeDecision.Copy, false },
        { "tag on another digest: refused", "1.0", true, Other, false, false, EdgeDecision.RefusedTagMove, false },
        { "tag on another digest, digest present: refused", "1.0", true, Other, true, false, EdgeDecision.RefusedTagMove, true },
        { "tag on another digest, moves allowed: move (copy first)", "1.0", true, Other, false, true, EdgeDecision.MoveTag, false },
        { "tag on another digest, moves allowed, digest present: move", "1.0", true, Other, true, true, EdgeDecision.MoveTag, true },
        { "moves allowed changes nothing for a new tag", "1.0", true, null, false, true, EdgeDecision.Copy, false },
    };

    [Theory]
    [MemberData(nameof(EdgeRows))]
    public void An_edge_is_decided_from_what_the_registries_answered(string row, string? tag, bool sourcePresent, Digest? tagDigest,
        bool digestPresent, bool allowTagMoves, EdgeDecision expected, bool expectedInDestination)
    {
        var decided = PromotionRules.Decide(Edge(tag), Wanted, new EdgeView(sourcePresent, tagDigest, digestPresent), allowTagMoves);
        decided.Decision.Should().Be(expected, row);
        decided.DigestInDestination.Should().Be(expectedInDestination, row);
        decided.CurrentDigest.Should().Be(expected is EdgeDecision.MoveTag or EdgeDecision.RefusedTagMove ? tagDigest : null, row);
    }

    // ---- PromotionRules.Overlaps -------------------------------------------------------------------------------------

    public static TheoryData<string, PromotionEdge[], int> OverlapRows() => new()
    {
        { "one tag, one digest", [Edge("1"), Edge("1")], 0 },
        { "one tag, two digests: both claims refused", [Edge("1"), Edge("1", Other)], 2 },
        { "the same tag in two destinations is no overlap", [Edge("1"), Edge("1", Other, "eu.test")], 0 },
        { "tagless edges never overlap", [Edge(null), Edge(null, Other)], 0 },
        { "three claims of one tag, two of them the same digest", [Edge("1"), Edge("1", Other), Edge("1")], 2 },
    };

    [Theory]
    [MemberData(nameof(OverlapRows))]
    public void Overlapping_tags_are_found(string row, PromotionEdge[] edges, int claimed)
    {
        var overlaps = PromotionRules.Overlaps(edges);
        overlaps.Count.Should().Be(claimed, row);
        foreach (var (edge, other) in overlaps)
        {
            other.Should().NotBe(edge.Digest, row);
            PromotionRules.Overlap(edge, other).Decision.Should().Be(EdgeDecision.RefusedOverlap);
        }
    }

    // ---- The plan's request economy ----------------------------------------------------------------------------------

    public static TheoryData<string, bool, bool, bool[], bool> DigestHeadRows() => new()
    {
        { "a tag answered the digest: no HEAD", true, false, [true, false], false },
        { "a tagless edge needs the digest", false, false, [true], true },
        { "a tag absent needs it (add tag or copy)", false, false, [false, true], true },
        { "every tag already on the digest (impossible without an answer): none", false, false, [false], false },
        { "the repository holds nothing (NAME_UNKNOWN, not in the catalog): nothing to ask", false, true, [true, true], false },
        { "empty repository, tagless edge: copied without asking", false, true, [true], false },
    };

    [Theory]
    [MemberData(nameof(DigestHeadRows))]
    public void The_digest_is_asked_only_when_no_tag_answered_it_and_an_edge_needs_it(string row, bool tagsOnDigest, bool repositoryEmpty,
        bool[] needers, bool expected) =>
        PromotionRules.NeedsDigestHead(tagsOnDigest, repositoryEmpty, needers).Should().Be(expected, row);

    public static TheoryData<string, Digest?, int, bool, bool> ListRows() => new()
    {
        { "404 with two more to ask: list", null, 2, false, true },
        { "404 with one more to ask: a HEAD is as cheap", null, 1, false, false },
        { "a tag that answered: no listing", Wanted, 5, false, false },
        { "already listed: not again", null, 5, true, false },
        { "404 with ten to ask: list", null, 10, false, true },
    };

    [Theory]
    [MemberData(nameof(ListRows))]
    public void Tags_are_listed_when_a_listing_saves_requests(string row, Digest? answer, int stillToAsk, bool listed, bool expected) =>
        PromotionRules.ListTags(answer, stillToAsk, listed).Should().Be(expected, row);

    // ---- PromotionRules.Verdict: refusals x isolation x confirmation --------------------------------------------------

    public static TheoryData<int, bool, bool, RunVerdict> VerdictRows() => new()
    {
        { 0, false, false, RunVerdict.StopDryRun },
        { 0, false, true, RunVerdict.Execute },
        { 0, true, false, RunVerdict.StopDryRun },
        { 0, true, true, RunVerdict.Execute },
        { 1, false, false, RunVerdict.Refuse },
        { 3, false, true, RunVerdict.Refuse },
        { 1, true, false, RunVerdict.FailDryRun },
        { 2, true, true, RunVerdict.ExecuteThenFail },
    };

    [Theory]
    [MemberData(nameof(VerdictRows))]
    public void A_run_with_refusals_is_refused_or_isolated(int refused, bool isolate, bool confirm, RunVerdict expected) =>
        PromotionRules.Verdict(refused, isolate, confirm).Should().Be(expected);

    // ---- AttachmentRules.Plan: cosign tags, signing, referrers ---------------------------------------------------------

    private static readonly PromotionEdge Unit = Edge(null);

    private static AttachmentLayer Layer(string text, string? signature = null) => AttachmentManifests.Layer(
        signature is null ? "application/vnd.dsse.envelope.v1+json" : AttachmentManifests.SimpleSigningMediaType,
        Encoding.UTF8.GetBytes(text),
        signature is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [AttachmentManifests.SignatureAnnotation] = signature });

    private static ManifestContent Manifest(params AttachmentLayer[] layers) => AttachmentManifests.BuildLayered(layers).Manifest;

    private static TaggedAttachment Tagged(AttachmentKind kind, ManifestContent manifest) => new(kind, AttachmentTags.For(Wanted, kind), manifest);

    private static AttachmentObservation Observe(TaggedAttachment[] source, Dictionary<AttachmentKind, ManifestContent?> destination,
        bool alreadySigned = false, ReferrerEntry[]? referrers = null, HashSet<Digest>? present = null,
        (IReadOnlyList<ReferrerEntry>, ManifestContent?, bool)? destinationReferrers = null, ManifestContent? sourceIndex = null) =>
        new(Unit, new AttachmentSet(Wanted, source, referrers ?? [], sourceIndex, false), destination, alreadySigned,
            present ?? [], destinationReferrers);

    private static readonly ManifestContent SourceSig = Manifest(Layer("payload", "sig-a"));
    private static readonly ManifestContent OtherSig = Manifest(Layer("payload", "sig-b"));
    private static readonly ManifestContent BothSigs = Manifest(Layer("payload", "sig-b"), Layer("payload", "sig-a"));
    private static readonly ManifestContent SourceSbom = Manifest(Layer("{\"spdx\":\"source\"}"));
    private static readonly ManifestContent OtherSbom = Manifest(Layer("{\"spdx\":\"other\"}"));

    private static ReferrerEntry Referrer(string seed)
    {
        var digest = D(seed);
        return new ReferrerEntry($$"""{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{digest}}","size":10}""", digest, 10, MediaTypes.OciManifest);
    }

    public static TheoryData<string, AttachmentObservation, bool, string[], int> AttachmentRows()
    {
        var r1 = Referrer("r1");
        var r2 = Referrer("r2");
        var sourceIndex = AttachmentManifests.BuildIndex([r1]).Manifest;
        var destinationIndex = AttachmentManifests.BuildIndex([r2]).Manifest;
        var both = AttachmentManifests.BuildIndex([r1, r2]).Manifest;
        return new()
        {
            { "a .sig absent in the destination is copied",
                Observe([Tagged(AttachmentKind.Signature, SourceSig)], new() { [AttachmentKind.Signature] = null }), false, ["Copy"], 0 },
            { "the same .sig in the destination: already there",
                Observe([Tagged(AttachmentKind.Signature, SourceSig)], new() { [AttachmentKind.Signature] = SourceSig }), false, ["AlreadyPromoted"], 0 },
            { "another .sig in the destination: merged into the union",
                Observe([Tagged(AttachmentKind.Signature, SourceSig)], new() { [AttachmentKind.Signature] = OtherSig }), false, [], 1 },
            { "the destination's .sig already holds every source layer: already there",
                Observe([Tagged(AttachmentKind.Signature, SourceSig)], new() { [AttachmentKind.Signature] = BothSigs }), false, ["AlreadyPromoted"], 0 },
            { "an SBOM absent is copied",
                Observe([Tagged(AttachmentKind.Sbom, SourceSbom)], new() { [AttachmentKind.Sbom] = null }), false, ["Copy"], 0 },
            { "a different SBOM in the destination is refused, not merged",
                Observe([Tagged(AttachmentKind.Sbom, SourceSbom)], new() { [AttachmentKind.Sbom] = OtherSbom }), false, ["Refused"], 0 },
            { "a .att and a .sig each decided on their own",
                Observe([Tagged(AttachmentKind.Signature, SourceSig), Tagged(AttachmentKind.Attestation, SourceSbom)],
                    new() { [AttachmentKind.Signature] = SourceSig, [AttachmentKind.Attestation] = null }), false, ["AlreadyPromoted", "Copy"], 0 },
            { "a kind not asked is not decided",
                Observe([Tagged(AttachmentKind.Signature, SourceSig)], new()), false, [], 0 },
            { "signing, nothing anywhere: a new .sig is written",
                Observe([], new() { [AttachmentKind.Signature] = null }), true, [], 1 },
            { "signing, the key's signature already in the destination: already there",
                Observe([], new() { [AttachmentKind.Signature] = SourceSig }, alreadySigned: true), true, ["AlreadyPromoted"], 0 },
            { "signing, the source's .sig holds the key's signature and the destination none: copied as it is",
                Observe([Tagged(AttachmentKind.Signature, SourceSig)], new() { [AttachmentKind.Signature] = null }, alreadySigned: true), true, ["Copy"], 0 },
            { "signing, the destination holds another signature: written with both",
                Observe([], new() { [AttachmentKind.Signature] = OtherSig }), true, [], 1 },
            { "a referrer absent is copied, one present is left; the API makes no index",
                Observe([], new(), referrers: [r1, r2], present: [r2.Digest], destinationReferrers: ([r2], null, true)), false, ["Copy", "AlreadyPromoted"], 0 },
            { "no referrers API, no index in the destination: the source's index is copied",
                Observe([], new(), referrers: [r1], destinationReferrers: ([], null, false), sourceIndex: sourceIndex), false, ["Copy", "Copy"], 0 },
            { "no referrers API, the destination's index lists them all: already there",
                Observe([], new(), referrers: [r1], present: [r1.Digest], destinationReferrers: ([r1, r2], both, false), sourceIndex: sourceIndex), false,
                ["AlreadyPromoted", "AlreadyPromoted"], 0 },
            { "no referrers API, the destination's index lacks one: the union is written",
                Observe([], new(), referrers: [r1], destinationReferrers: ([r2], destinationIndex, false), sourceIndex: sourceIndex), false, ["Copy"], 1 },
        };
    }

    [Theory]
    [MemberData(nameof(AttachmentRows))]
    public void Attachments_are_decided_from_what_the_registries_hold(string row, AttachmentObservation observation, bool sign, string[] decisions, int writes)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = new EcdsaKeySigner(ECDsa.Create(key.ExportParameters(true)), "table key");
        var (edges, written) = AttachmentRules.Plan(observation, sign ? signer : null);
        edges.Select(e => e.Decision.ToString()).Should().Equal(decisions, row);
        written.Should().HaveCount(writes, row);
        edges.Where(e => e.Subject != Wanted).Should().BeEmpty("every attachment edge names its subject");
        written.Where(w => w.Subject != Wanted).Should().BeEmpty("every write names its subject");
    }

    [Fact]
    public void A_merge_keeps_the_destinations_layers_first_and_adds_the_sources()
    {
        var (_, writes) = AttachmentRules.Plan(
            Observe([Tagged(AttachmentKind.Signature, SourceSig)], new() { [AttachmentKind.Signature] = OtherSig }), null);
        var layers = AttachmentManifests.ReadLayers(writes.Single().Built.Manifest, "merged");
        layers.Select(l => l.Annotations[AttachmentManifests.SignatureAnnotation]).Should().Equal("sig-b", "sig-a");
        writes.Single().Previous.Should().Be(OtherSig.Digest, "the tag is written only if it still names what was merged into");
    }

    // ---- PlanDrift: a reviewed plan against a fresh one ----------------------------------------------------------------

    public static TheoryData<string, EdgeDecision, Digest?, EdgeDecision, Digest?, bool, bool> DriftRows() => new()
    {
        { "unchanged", EdgeDecision.Copy, null, EdgeDecision.Copy, null, false, false },
        { "a planned copy made meanwhile: converged", EdgeDecision.Copy, null, EdgeDecision.AlreadyPromoted, null, false, false },
        { "a planned copy whose digest arrived: converged to a tag", EdgeDecision.Copy, null, EdgeDecision.AddTag, null, false, false },
        { "the tag moved meanwhile: drift", EdgeDecision.Copy, null, EdgeDecision.RefusedTagMove, Other, false, true },
        { "the source digest is gone: drift", EdgeDecision.AddTag, null, EdgeDecision.Lost, null, false, true },
        { "a reviewed move without --allow-tag-moves: drift", EdgeDecision.MoveTag, Other, EdgeDecision.MoveTag, D("third"), false, true },
        { "an edge left alone would now be written: drift", EdgeDecision.AlreadyPromoted, null, EdgeDecision.Copy, null, false, true },
        { "a reviewed move executed as reviewed", EdgeDecision.MoveTag, Other, EdgeDecision.MoveTag, Other, true, false },
    };

    [Theory]
    [MemberData(nameof(DriftRows))]
    public void A_reviewed_plan_is_executed_only_without_drift(string row, EdgeDecision was, Digest? wasCurrent, EdgeDecision now, Digest? nowCurrent,
        bool allowTagMoves, bool drifts)
    {
        var edge = Edge("1.0");
        var reviewed = new PromotionPlan([new PlannedEdge(edge, was, false, wasCurrent)]);
        var fresh = new PromotionPlan([new PlannedEdge(edge, now, false, nowCurrent)]);
        var check = () => PlanDrift.Check(reviewed, fresh, new PromotionPolicy { AllowTagMoves = allowTagMoves }, "plan.json", _ => { });
        if (drifts) check.Should().Throw<PlanDriftException>(row).Which.Message.Should().Contain("plan.json");
        else check.Should().NotThrow(row);
    }

    // ---- PromotionShard: which process writes a repository --------------------------------------------------------------

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Every_edge_of_a_repository_falls_to_one_shard_and_every_edge_to_exactly_one(int count)
    {
        var edges = Enumerable.Range(0, 40).SelectMany(i => new[] { Edge($"t{i}", D($"d{i}")) with { DestinationImage = $"img{i % 9}" }, Edge(null, D($"d{i}")) with { DestinationImage = $"img{i % 9}" } }).ToList();
        var owners = edges.Select(e => PromotionShard.ShardOf(PromotionShard.RepositoryKey(e), count)).ToList();
        owners.Should().OnlyContain(o => o >= 0 && o < count);
        edges.Zip(owners).GroupBy(p => p.First.DestinationImage).Should().OnlyContain(g => g.Select(p => p.Second).Distinct().Count() == 1,
            "no two shards write one repository");
    }
}
