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
/// The provenance decisions of <see cref="AttachmentRules"/> as rows: whether a promotion record of the key for a digest and
/// destination is already there (so none is written), what a record adds to the referrers index, and why a source digest's
/// SLSA provenance refuses it. What the registries held goes in as evidence; no registry, no network, no files.
/// </summary>
[Trait("Category", "Decisions")]
public sealed class ProvenanceDecisionTableTests
{
    private static readonly Digest Wanted = D("wanted"), Other = D("other");
    private const string Destination = "prod.test/img@";

    private static Digest D(string seed) => Digest.Of(Encoding.UTF8.GetBytes(seed));

    private static AttestationEvidence Record(bool signed = true, Digest? subject = null, string? dstRef = null, string predicateType = Provenance.PromotionPredicateType,
        string? unreadable = null) =>
        new("prod.test/img@sha256:… bundle", predicateType, signed, [subject ?? Wanted])
        {
            DestinationReference = dstRef ?? Destination + (subject ?? Wanted), Unreadable = unreadable,
        };

    public static TheoryData<string, AttestationEvidence[], bool> RecordRows() => new()
    {
        { "no referrer at all: no record", [], false },
        { "a record of the key for the digest and this destination: there", [Record()], true },
        { "a record of another key: not this run's", [Record(signed: false)], false },
        { "a record of another digest (its dstRef too): not this digest's", [Record(subject: Other)], false },
        { "a record of the digest in another destination: not this destination's", [Record(dstRef: "eu.test/img@" + Wanted)], false },
        { "a bundle of another predicate type: not a record", [Record(predicateType: Provenance.SlsaProvenanceV1)], false },
        { "an unreadable bundle: not a record", [Record(unreadable: "not JSON")], false },
        { "one good record among others: there", [Record(signed: false), Record(subject: Other), Record()], true },
    };

    [Theory]
    [MemberData(nameof(RecordRows))]
    public void A_record_of_the_key_for_the_digest_and_destination_is_found_whatever_its_timestamp(string row, AttestationEvidence[] records, bool expected) =>
        AttachmentRules.HasPromotionRecord(records, Wanted, Destination + Wanted).Should().Be(expected, row);

    private static readonly PromotionEdge Unit = new("stage.test", "img", Wanted.Value, "prod.test", "img", null);

    private static ReferrerEntry Sbom()
    {
        var digest = D("sbom");
        return new ReferrerEntry($$"""{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{digest}}","size":10,"artifactType":"application/spdx+json"}""",
            digest, 10, MediaTypes.OciManifest);
    }

    private static AttachmentObservation Observe(AttestationEvidence[] records, ReferrerEntry[] sourceReferrers,
        (IReadOnlyList<ReferrerEntry>, ManifestContent?, bool) destinationReferrers, ManifestContent? sourceIndex = null) =>
        new(Unit, new AttachmentSet(Wanted, [], sourceReferrers, sourceIndex, false), new Dictionary<AttachmentKind, ManifestContent?>(), false,
            new HashSet<Digest>(), destinationReferrers)
        {
            DestinationRecords = records,
            Record = new RecordContext(MediaTypes.OciManifest, 1234, DateTimeOffset.Parse("2026-01-02T03:04:05Z"), "image-promoter-build-pipeline@v0.0.0-test"),
        };

    public static TheoryData<string, AttachmentObservation, string[], string[]> PlanRows()
    {
        var sbom = Sbom();
        var sourceIndex = AttachmentManifests.BuildIndex([sbom]).Manifest;
        return new()
        {
            { "no record, no referrers API, no index: the record, then an index listing it",
                Observe([], [], ([], null, false)), [], ["record", "index 0+1"] },
            { "no record, the registry has the API: the record alone (the registry lists it)",
                Observe([], [], ([], null, true)), [], ["record"] },
            { "no record, the source's SBOM index would be copied: one index with the SBOM and the record instead",
                Observe([], [sbom], ([], null, false), sourceIndex), ["Copy"], ["record", "index 0+2"] },
            { "a record there and listed: nothing written",
                Observe([Record()], [], ([], AttachmentManifests.BuildIndex([sbom]).Manifest, false)), [], [] },
            { "a record of another destination only: a new record, added to the index kept",
                Observe([Record(dstRef: "eu.test/img@" + Wanted)], [sbom], ([sbom], AttachmentManifests.BuildIndex([sbom]).Manifest, false), sourceIndex),
                ["Copy"], ["record", "index 1+1"] },
        };
    }

    [Theory]
    [MemberData(nameof(PlanRows))]
    public void With_a_signer_a_record_is_planned_unless_one_is_found(string row, AttachmentObservation observation, string[] decisions, string[] writes)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = new EcdsaKeySigner(ECDsa.Create(key.ExportParameters(true)), "table key");
        var (edges, written) = AttachmentRules.Plan(observation, signer);
        edges.Select(e => e.Decision.ToString()).Should().Equal(decisions, row);
        written.Select(w => w.Destination.Tag is null ? "record"
                : w.What.Replace("referrers index: ", "index ").Replace(" entr(ies) kept, ", "+").Replace(" added", ""))
            .Should().Equal(writes, row);
        written.Should().NotContain(w => w.Subject != Wanted, "every write names its subject");
        foreach (var record in written.Where(w => w.Destination.Tag is null))
        {
            var entries = written.Where(w => w.Destination.Tag is not null).SelectMany(w => AttachmentManifests.ReadIndex(w.Built.Manifest, row)).ToList();
            if (!observation.DestinationReferrers!.Value.HasApi)
                entries.Should().Contain(e => e.Digest == record.Built.Manifest.Digest, "the index lists the record");
        }
        AttachmentRules.Plan(observation, null).Writes.Should().BeEmpty("no signer, no record");
    }

    private static AttestationEvidence Slsa(bool signed = true, Digest? subject = null, string? builder = "https://builder.test/ci@refs/heads/main",
        string[]? sources = null, string? unreadable = null) =>
        new("stage.test/img:sha256-….att layer sha256:…", Provenance.SlsaProvenanceV1, signed, subject is null ? [Wanted] : [subject.Value])
        {
            BuilderId = builder, SourceRepositories = sources ?? ["git+https://github.com/example/app@refs/heads/main"], Unreadable = unreadable,
        };

    public static TheoryData<string, AttestationEvidence[], ProvenanceMode, string?, string?, string?> ProvenanceRows() => new()
    {
        { "none: missing", [], ProvenanceMode.Require, null, null, "missing: no SLSA provenance" },
        { "none, verify-if-present: passes", [], ProvenanceMode.VerifyIfPresent, null, null, null },
        { "another predicate type only: missing", [Record()], ProvenanceMode.Require, null, null, "missing" },
        { "signed, about the digest: passes", [Slsa()], ProvenanceMode.Require, null, null, null },
        { "signed by another key: wrong key", [Slsa(signed: false)], ProvenanceMode.Require, null, null, "wrong key: not signed by" },
        { "wrong key, verify-if-present: still refused (it is present)", [Slsa(signed: false)], ProvenanceMode.VerifyIfPresent, null, null, "wrong key" },
        { "about another digest: wrong subject", [Slsa(subject: Other)], ProvenanceMode.Require, null, null, $"wrong subject: names {Other}, not {Wanted}" },
        { "the builder asked: passes", [Slsa()], ProvenanceMode.Require, "https://builder.test/ci@refs/heads/main", null, null },
        { "the builder asked without a ref: any ref passes", [Slsa()], ProvenanceMode.Require, "https://builder.test/ci", null, null },
        { "another builder: wrong builder", [Slsa(builder: "https://other.test/ci")], ProvenanceMode.Require, "https://builder.test/ci", null,
            "wrong builder: https://other.test/ci, not https://builder.test/ci" },
        { "no builder named: wrong builder", [Slsa(builder: null)], ProvenanceMode.Require, "https://builder.test/ci", null, "wrong builder: (none)" },
        { "the source repository asked, another spelling: passes", [Slsa()], ProvenanceMode.Require, null, "https://github.com/example/app.git", null },
        { "another source repository: wrong source", [Slsa()], ProvenanceMode.Require, null, "github.com/example/other",
            "wrong source repository: git+https://github.com/example/app@refs/heads/main, not github.com/example/other" },
        { "unreadable: refused", [Slsa(unreadable: "not an in-toto statement")], ProvenanceMode.Require, null, null, "unreadable" },
        { "one bad, one good: passes", [Slsa(signed: false), Slsa()], ProvenanceMode.Require, "https://builder.test/ci", null, null },
        { "two bad: both named", [Slsa(signed: false), Slsa(subject: Other)], ProvenanceMode.Require, null, null, " | " },
    };

    [Theory]
    [MemberData(nameof(ProvenanceRows))]
    public void Source_provenance_is_judged_from_what_the_source_holds(string row, AttestationEvidence[] found, ProvenanceMode mode, string? builder,
        string? repository, string? problem)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var requirement = new ProvenanceRequirement(SignatureVerifier.FromKey(key, "table key"), mode, builder, repository);
        var result = AttachmentRules.ProvenanceProblem(found, Wanted, requirement);
        if (problem is null) result.Should().BeNull(row);
        else result.Should().Contain(problem, row);
    }
}
