using System.Collections.Concurrent;
using FluentAssertions;
using Promoter.Attachments;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Tests.Promotion.Engine;
using Promoter.Tests.Support;
using Xunit;
using Promoter.Promotion.Registries;

namespace Promoter.Tests.Attachments;

/// <summary>
/// Attachments travel with promoted digests between two real Distribution 2.8 processes (which have no referrers API, so
/// the referrers tag schema fallback is what runs): cosign tags and referrers are planned as edges, copied by digest, left
/// alone when present, merged (never deleted) when the destination holds other content, and left behind with
/// <c>CopyAttachments = false</c>.
/// </summary>
public class AttachmentPromotionTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private static PromotionPolicy Policy(bool confirm, ConcurrentQueue<string>? lines = null) => new()
    {
        Confirm = confirm,
        Threads = 4,
        Log = (level, line) => { if (level != PromotionLogLevel.Detail) lines?.Enqueue(line); },
    };

    [Fact]
    public async Task Signatures_attestations_sboms_and_referrers_of_an_index_and_its_children_are_copied_by_digest()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("att");
        var repo = $"{id}/img";
        var staging = pool.For(EngineFixture.Staging);
        var key = await OpenSslKey.CreateAsync("copy");
        var child = await TestImages.PushAsync(staging, repo, null, "child-a", "amd64");
        var index = await TestImages.PushIndexAsync(staging, repo, "src-only", child);
        var payload = CosignFixtures.Payload($"{EngineFixture.Staging}/{repo}", index.Digest);
        var sig = await CosignFixtures.PushSignaturesAsync(staging, repo, index.Digest, (payload, await key.SignAsync(payload)));
        var childPayload = CosignFixtures.Payload($"{EngineFixture.Staging}/{repo}", child.Digest);
        var childSig = await CosignFixtures.PushSignaturesAsync(staging, repo, child.Digest, (childPayload, await key.SignAsync(childPayload)));
        var att = await CosignFixtures.PushAttestationAsync(staging, repo, index.Digest, """{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}""");
        var sbom = await CosignFixtures.PushSbomAsync(staging, repo, index.Digest, """{"spdxVersion":"SPDX-2.3"}""");
        var referrer = await CosignFixtures.PushReferrerAsync(staging, repo, index.Digest, index.Bytes.Length, "application/vnd.example.report", "report one");
        var fallback = (await staging.HeadManifestAsync(repo, AttachmentTags.For(index.Digest, AttachmentKind.ReferrersIndex)))!.Digest;
        var edge = new PromotionEdge($"{EngineFixture.Staging}/{id}", "img", index.Digest.Value, $"{EngineFixture.Production}/{id}", "img", "1.0");

        var dryLines = new ConcurrentQueue<string>();
        var dry = await new PromotionPipeline(pool, Policy(false, dryLines)).RunAsync(_ => [edge]);

        var d = $"{EngineFixture.Production}/{id}/img";
        var s = $"{EngineFixture.Staging}/{id}/img";
        dryLines.Should().Contain([
            $"COPY  {s}@{sig} -> {d}:{AttachmentTags.For(index.Digest, AttachmentKind.Signature)}",
            $"COPY  {s}@{att} -> {d}:{AttachmentTags.For(index.Digest, AttachmentKind.Attestation)}",
            $"COPY  {s}@{sbom} -> {d}:{AttachmentTags.For(index.Digest, AttachmentKind.Sbom)}",
            $"COPY  {s}@{referrer} -> {d}@{referrer}",
            $"COPY  {s}@{fallback} -> {d}:{AttachmentTags.For(index.Digest, AttachmentKind.ReferrersIndex)}",
            $"COPY  {s}@{childSig} -> {d}:{AttachmentTags.For(child.Digest, AttachmentKind.Signature)}",
        ]);
        dry.Plan.Edges.Should().HaveCount(7, "the image edge and six attachment edges");
        (await pool.For(EngineFixture.Production).HeadManifestAsync($"{id}/img", AttachmentTags.For(index.Digest, AttachmentKind.Signature))).Should().BeNull("a dry run writes nothing");

        var live = await new PromotionPipeline(pool, Policy(true)).RunAsync(_ => [edge]);
        live.Stop.Should().Be(PromotionStop.Completed);
        var production = pool.For(EngineFixture.Production);
        foreach (var (reference, digest) in new[]
                 {
                     (AttachmentTags.For(index.Digest, AttachmentKind.Signature), sig),
                     (AttachmentTags.For(index.Digest, AttachmentKind.Attestation), att),
                     (AttachmentTags.For(index.Digest, AttachmentKind.Sbom), sbom),
                     (AttachmentTags.For(index.Digest, AttachmentKind.ReferrersIndex), fallback),
                     (AttachmentTags.For(child.Digest, AttachmentKind.Signature), childSig),
                     (referrer.Value, referrer),
                 })
        {
            var there = await production.GetManifestAsync($"{id}/img", reference);
            there.Digest.Should().Be(digest, $"{reference} is copied byte for byte");
            (await staging.GetManifestAsync(repo, digest.Value)).Bytes.Should().Equal(there.Bytes);
        }

        // Snapshots (upstream's format) show the attachments as the tags they are, referrers as tagless digests.
        var snapshot = await RegistrySnapshotter.TakeAsync(pool, $"{EngineFixture.Production}/{id}");
        var dmap = snapshot.Images.Should().ContainSingle().Which.Dmap.ToDictionary(e => e.Digest, e => e.Tags);
        dmap[sig.Value].Should().Equal(AttachmentTags.For(index.Digest, AttachmentKind.Signature));
        dmap[childSig.Value].Should().Equal(AttachmentTags.For(child.Digest, AttachmentKind.Signature));
        dmap[att.Value].Should().Equal(AttachmentTags.For(index.Digest, AttachmentKind.Attestation));
        dmap[fallback.Value].Should().Equal(AttachmentTags.For(index.Digest, AttachmentKind.ReferrersIndex));
        dmap[referrer.Value].Should().BeEmpty();

        var againLines = new ConcurrentQueue<string>();
        var again = await new PromotionPipeline(pool, Policy(true, againLines)).RunAsync(_ => [edge]);
        again.Plan.IsEmpty.Should().BeTrue("a destination that has the attachments is left alone");
        again.Counts.Should().Be(PromotionCounts.None with { });
        againLines.Should().Contain(l => l.StartsWith("plan: 0 copies, 0 tag(s), 0 refused, 0 lost, 7 already promoted", StringComparison.Ordinal));

        var off = await new PromotionPipeline(pool, Policy(false) with { CopyAttachments = false }).RunAsync(_ => [edge]);
        off.Plan.Edges.Should().ContainSingle("--copy-attachments=false plans the image alone");
    }

    [Fact]
    public async Task A_destination_signature_of_other_content_is_merged_into_a_union_and_a_differing_sbom_is_refused()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("merge");
        var repo = $"{id}/img";
        var staging = pool.For(EngineFixture.Staging);
        var production = pool.For(EngineFixture.Production);
        var sourceKey = await OpenSslKey.CreateAsync("src");
        var mirrorKey = await OpenSslKey.CreateAsync("mirror");
        var image = await TestImages.PushAsync(staging, repo, null, "merge me");
        await TestImages.PushAsync(production, repo, null, "merge me");
        var payload = CosignFixtures.Payload($"{EngineFixture.Staging}/{repo}", image.Digest);
        var sourceSignature = await sourceKey.SignAsync(payload);
        var mirrorSignature = await mirrorKey.SignAsync(payload);
        await CosignFixtures.PushSignaturesAsync(staging, repo, image.Digest, (payload, sourceSignature));
        var before = await CosignFixtures.PushSignaturesAsync(production, repo, image.Digest, (payload, mirrorSignature));
        var sourceReferrer = await CosignFixtures.PushReferrerAsync(staging, repo, image.Digest, image.Manifest.Length, "application/vnd.example.a", "a");
        var mirrorReferrer = await CosignFixtures.PushReferrerAsync(production, repo, image.Digest, image.Manifest.Length, "application/vnd.example.b", "b");
        var edge = new PromotionEdge($"{EngineFixture.Staging}/{id}", "img", image.Digest.Value, $"{EngineFixture.Production}/{id}", "img", null);

        var lines = new ConcurrentQueue<string>();
        await new PromotionPipeline(pool, Policy(true, lines)).RunAsync(_ => [edge]);

        var sigTag = AttachmentTags.For(image.Digest, AttachmentKind.Signature);
        var sourceSig = (await staging.HeadManifestAsync(repo, sigTag))!.Digest;
        lines.Should().Contain(l => l.StartsWith($"WRITE {EngineFixture.Production}/{id}/img:{sigTag} as sha256:", StringComparison.Ordinal)
                                    && l.EndsWith($"(merge: 1 layer(s) kept, 1 added from {sourceSig})", StringComparison.Ordinal));
        var merged = await production.GetManifestAsync(repo, sigTag);
        merged.Digest.Should().NotBe(before, "the merged manifest is new bytes");
        AttachmentManifests.ReadLayers(merged, sigTag).Select(l => l.Annotations[AttachmentManifests.SignatureAnnotation])
            .Should().Equal([mirrorSignature, sourceSignature], "the destination's signature first, then the source's: nothing dropped");
        (await production.HeadManifestAsync(repo, before.Value)).Should().NotBeNull("the manifest merged into is never deleted");
        (await mirrorKey.OpenSslVerifiesAsync(payload, mirrorSignature)).Should().BeTrue();
        (await sourceKey.OpenSslVerifiesAsync(payload, sourceSignature)).Should().BeTrue();

        var referrers = await production.GetManifestAsync(repo, AttachmentTags.For(image.Digest, AttachmentKind.ReferrersIndex));
        AttachmentManifests.ReadIndex(referrers, "index").Select(e => e.Digest).Should().Equal(mirrorReferrer, sourceReferrer);
        (await production.HeadManifestAsync(repo, sourceReferrer.Value)).Should().NotBeNull();

        // An SBOM is one document: a different one in the destination refuses the edge and nothing is written.
        await CosignFixtures.PushSbomAsync(staging, repo, image.Digest, """{"spdxVersion":"SPDX-2.3","name":"source"}""");
        var mirrorSbom = await CosignFixtures.PushSbomAsync(production, repo, image.Digest, """{"spdxVersion":"SPDX-2.3","name":"mirror"}""");
        var refused = async () => await new PromotionPipeline(pool, Policy(true)).RunAsync(_ => [edge]);
        (await refused.Should().ThrowAsync<PromotionRefusedException>())
            .Which.Message.Should().Contain("1 edge(s) refused (signatures, attachments or what depends on a refused edge)")
            .And.Contain($"REFUSED attachment: {EngineFixture.Production}/{id}/img:{AttachmentTags.For(image.Digest, AttachmentKind.Sbom)} holds {mirrorSbom}");
        (await production.HeadManifestAsync(repo, AttachmentTags.For(image.Digest, AttachmentKind.Sbom)))!.Digest.Should().Be(mirrorSbom);
    }
}
