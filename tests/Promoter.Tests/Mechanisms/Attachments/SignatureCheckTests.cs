using System.Collections.Concurrent;
using FluentAssertions;
using Promoter.Attachments;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Tests.Promotion.Engine;
using Promoter.Tests.Support;
using Xunit;
using Promoter.Promotion.Checks;

namespace Promoter.Tests.Attachments;

/// <summary><see cref="SignatureCheck"/> (the SignatureCheck task) on real registries: a deleted destination signature is
/// found, then copied back with confirm; a destination signature lacking the source's is found and merged.</summary>
public class SignatureCheckTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task A_deleted_destination_signature_is_found_then_copied_back_and_a_differing_one_merged()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("sigcheck");
        var repo = $"{id}/img";
        var staging = pool.For(EngineFixture.Staging);
        var production = pool.For(EngineFixture.Production);
        var key = await OpenSslKey.CreateAsync("sigcheck");
        var other = await OpenSslKey.CreateAsync("sigcheck-other");
        var first = await TestImages.PushAsync(staging, repo, null, "first");
        var second = await TestImages.PushAsync(staging, repo, null, "second");
        var unpromoted = await TestImages.PushAsync(staging, repo, null, "not promoted");
        foreach (var image in new[] { first, second, unpromoted })
        {
            var payload = CosignFixtures.Payload($"{EngineFixture.Staging}/{repo}", image.Digest);
            await CosignFixtures.PushSignaturesAsync(staging, repo, image.Digest, (payload, await key.SignAsync(payload)));
        }
        PromotionEdge Edge(PushedImage image, string tag) => new($"{EngineFixture.Staging}/{id}", "img", image.Digest.Value, $"{EngineFixture.Production}/{id}", "img", tag);
        await new PromotionPipeline(pool, new PromotionPolicy { Confirm = true, Threads = 2 }).RunAsync(_ => [Edge(first, "1"), Edge(second, "2")]);
        IReadOnlyList<PromotionEdge> all = [Edge(first, "1"), Edge(second, "2"), Edge(unpromoted, "3")];

        var clean = await SignatureCheck.RunAsync(pool, all, confirm: false, threads: 2);
        clean.Findings.Should().BeEmpty();
        clean.Checked.Should().Be(2);
        clean.NotPromoted.Should().Be(1);

        // One signature deleted in the destination, the other replaced by a signature of another key only.
        var firstSig = AttachmentTags.For(first.Digest, AttachmentKind.Signature);
        var secondSig = AttachmentTags.For(second.Digest, AttachmentKind.Signature);
        await production.DeleteManifestAsync(repo, (await production.HeadManifestAsync(repo, firstSig))!.Digest.Value);
        await production.DeleteManifestAsync(repo, (await production.HeadManifestAsync(repo, secondSig))!.Digest.Value);
        var otherPayload = CosignFixtures.Payload($"{EngineFixture.Production}/{repo}", second.Digest);
        await CosignFixtures.PushSignaturesAsync(production, repo, second.Digest, (otherPayload, await other.SignAsync(otherPayload)));

        var lines = new ConcurrentQueue<string>();
        var found = await SignatureCheck.RunAsync(pool, all, confirm: false, threads: 2, (_, line) => lines.Enqueue(line));
        found.Fixed.Should().BeFalse();
        found.Findings.Should().HaveCount(2);
        found.Findings.Should().Contain($"MISSING {EngineFixture.Production}/{repo}:{firstSig} (the source has {EngineFixture.Staging}/{repo}@{(await staging.HeadManifestAsync(repo, firstSig))!.Digest})");
        found.Findings.Should().Contain(f => f.StartsWith($"DIFFERS {EngineFixture.Production}/{repo}:{secondSig}: merge: 1 layer(s) kept, 1 added", StringComparison.Ordinal));
        (await production.HeadManifestAsync(repo, firstSig)).Should().BeNull("without confirm nothing is written");

        var fixedRun = await SignatureCheck.RunAsync(pool, all, confirm: true, threads: 2);
        fixedRun.Fixed.Should().BeTrue();
        (await production.GetManifestAsync(repo, firstSig)).Digest.Should().Be((await staging.HeadManifestAsync(repo, firstSig))!.Digest);
        var merged = AttachmentManifests.ReadLayers(await production.GetManifestAsync(repo, secondSig), secondSig);
        merged.Should().HaveCount(2, "the other key's signature is kept and the source's added");
        (await SignatureCheck.RunAsync(pool, all, confirm: false, threads: 2)).Findings.Should().BeEmpty("fixed");
        (await production.HeadManifestAsync(repo, "3")).Should().BeNull("SignatureCheck promotes no image");
    }
}
