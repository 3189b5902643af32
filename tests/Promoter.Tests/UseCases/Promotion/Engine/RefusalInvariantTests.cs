using System.Security.Cryptography;
using FluentAssertions;
using Promoter.Attachments;
using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;
using Promoter.Tests.Attachments;
using Promoter.Tests.Support;
using Xunit;

namespace Promoter.Tests.Promotion.Engine;

/// <summary>
/// The refusal invariant against real registries: for every reason an edge can be refused, with and without
/// <c>--isolate-edges</c>, dry run and <c>--confirm</c>, the production registry (behind a recording proxy) receives no
/// manifest or tag PUT of a refused reference or of anything that depends on one, and the failure names each refusal once.
/// The refused references are worked out here from the scenario, not read from the plan.
/// </summary>
public sealed class RefusalInvariantTests(EngineFixture registries) : IClassFixture<EngineFixture>, IDisposable
{
    /// <summary>What refuses an edge.</summary>
    public enum Reason { TagMove, Overlap, Unsigned, BadSignature, LostSource, Drift, SbomConflict }

    private readonly ECDsa _trusted = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _trusted.Dispose();
        _foreign.Dispose();
    }

    public static TheoryData<Reason, bool, bool> Cases()
    {
        var data = new TheoryData<Reason, bool, bool>();
        foreach (var reason in Enum.GetValues<Reason>())
            foreach (var isolate in new[] { false, true })
                foreach (var confirm in new[] { false, true })
                    data.Add(reason, isolate, confirm);
        return data;
    }

    /// <summary>One scenario: its edges, the policy it needs, and what must never be written.</summary>
    private sealed record Scenario(
        IReadOnlyList<PromotionEdge> Edges,
        PromotionPolicy Policy,
        IReadOnlyList<string> RefusedTags,
        IReadOnlyList<Digest> RefusedDigests,
        IReadOnlyList<string> CleanTags);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_refused_reference_is_never_written_and_is_named_once(Reason reason, bool isolate, bool confirm)
    {
        using var proxy = new FaultProxy(registries.Second.Host);
        var pool = registries.NewPool(production: proxy.Host);
        var id = registries.Unique($"refusal-{reason}".ToLowerInvariant());
        var repository = $"{id}/img";
        var scenario = await ArrangeAsync(reason, pool, id, repository);
        var before = proxy.Requests.Count;
        var policy = scenario.Policy with { Confirm = confirm, IsolateEdges = isolate, Threads = 2 };

        var run = async () => await new PromotionPipeline(pool, policy).RunAsync(_ => scenario.Edges);
        var failure = (await run.Should().ThrowAsync<PromoterRefusalException>()).Which;

        var puts = proxy.Requests.Skip(before).Where(r => r.Method == "PUT" && r.PathAndQuery.Contains("/manifests/")).ToList();
        foreach (var tag in scenario.RefusedTags)
            puts.Should().NotContain(r => r.PathAndQuery == $"/v2/{repository}/manifests/{tag}", $"{repository}:{tag} is refused");
        foreach (var digest in scenario.RefusedDigests)
            puts.Should().NotContain(r => r.PathAndQuery == $"/v2/{repository}/manifests/{digest}", $"{repository}@{digest} is refused");

        if (reason == Reason.Drift)
        {
            failure.Should().BeOfType<PlanDriftException>();
            puts.Should().BeEmpty("drift refuses the whole run before any write");
            return;
        }

        var refused = failure switch
        {
            PromotionRefusedException r => r.Refused,
            EdgesRefusedException r => r.Refused,
            _ => throw new InvalidOperationException($"unexpected {failure.GetType().Name}: {failure.Message}"),
        };
        failure.Should().BeOfType(isolate ? typeof(EdgesRefusedException) : typeof(PromotionRefusedException));
        refused.Select(r => r.Edge.DestinationReference().ManifestReference)
            .Should().BeEquivalentTo(scenario.RefusedTags, "each refusal, and each dependant, is reported once");
        foreach (var line in refused.Select(r => r.ToString()))
            Occurrences(failure.Message, line).Should().Be(1, $"the failure names '{line}' once");

        if (isolate && confirm)
        {
            foreach (var tag in scenario.CleanTags)
                puts.Should().Contain(r => r.PathAndQuery == $"/v2/{repository}/manifests/{tag}", $"the clean edge {tag} is promoted beside the refusals");
        }
        else puts.Should().BeEmpty(isolate ? "a dry run writes nothing" : "a refusal without --isolate-edges refuses the run before any write");
    }

    private static int Occurrences(string text, string line)
    {
        var count = 0;
        for (var at = text.IndexOf(line, StringComparison.Ordinal); at >= 0; at = text.IndexOf(line, at + line.Length, StringComparison.Ordinal))
            if (at + line.Length == text.Length || text[at + line.Length] == '\n') count++;
        return count;
    }

    private PromotionEdge Edge(string id, Digest digest, string? tag) =>
        new($"{EngineFixture.Staging}/{id}", "img", digest.Value, $"{EngineFixture.Production}/{id}", "img", tag);

    private static async Task SignAsync(RegistryClient staging, string repository, Digest digest, ECDsa key)
    {
        using var signer = new EcdsaKeySigner(ECDsa.Create(key.ExportParameters(true)), "test key");
        var payload = CosignFixtures.Payload($"{EngineFixture.Staging}/{repository}", digest);
        await CosignFixtures.PushSignaturesAsync(staging, repository, digest, (payload, signer.Sign(payload)));
    }

    private SignatureVerifier Trusted() => SignatureVerifier.FromKey(ECDsa.Create(_trusted.ExportParameters(false)), "trusted test key");

    /// <summary>Pushes the scenario's images into staging (and production where the reason needs a prior state).</summary>
    private async Task<Scenario> ArrangeAsync(Reason reason, RegistryPool pool, string id, string repository)
    {
        var staging = pool.For(EngineFixture.Staging);
        var production = registries.Second.CreateClient();
        var clean = await TestImages.PushAsync(staging, repository, "1.0", $"clean {id}\n");
        var b = await TestImages.PushAsync(staging, repository, null, $"b {id}\n");
        var basePolicy = new PromotionPolicy();
        switch (reason)
        {
            case Reason.TagMove:
            {
                await TestImages.PushAsync(production, repository, "2.0", $"already there {id}\n");
                return new Scenario([Edge(id, clean.Digest, "1.0"), Edge(id, b.Digest, "2.0")], basePolicy, ["2.0"], [], ["1.0"]);
            }
            case Reason.Overlap:
            {
                var c = await TestImages.PushAsync(staging, repository, null, $"c {id}\n");
                return new Scenario([Edge(id, clean.Digest, "1.0"), Edge(id, b.Digest, "2.0"), Edge(id, c.Digest, "2.0")], basePolicy,
                    ["2.0", "2.0"], [], ["1.0"]);
            }
            case Reason.Unsigned:
            {
                // B unsigned under two tags; an index I, signed itself, over C (unsigned, with a tag of its own) and D (signed,
                // tagless): I is refused for listing C, and I's and D's signatures (copied as attachments) for referring to
                // refused digests. The clean image and its signature go through.
                var c = await TestImages.PushAsync(staging, repository, null, $"c {id}\n", "arm64");
                var d = await TestImages.PushAsync(staging, repository, null, $"d {id}\n", "s390x");
                var (_, index) = await TestImages.PushIndexAsync(staging, repository, "3.0", c, d);
                await SignAsync(staging, repository, clean.Digest, _trusted);
                await SignAsync(staging, repository, index, _trusted);
                await SignAsync(staging, repository, d.Digest, _trusted);
                return new Scenario(
                    [Edge(id, clean.Digest, "1.0"), Edge(id, b.Digest, "2.0"), Edge(id, b.Digest, "2.1"), Edge(id, c.Digest, "c"), Edge(id, index, "3.0")],
                    basePolicy with { RequiredSignature = Trusted() },
                    ["2.0", "2.1", "c", "3.0", AttachmentTags.For(index, AttachmentKind.Signature), AttachmentTags.For(d.Digest, AttachmentKind.Signature)],
                    [b.Digest, c.Digest, index, d.Digest],
                    ["1.0", AttachmentTags.For(clean.Digest, AttachmentKind.Signature)]);
            }
            case Reason.BadSignature:
            {
                await SignAsync(staging, repository, clean.Digest, _trusted);
                await SignAsync(staging, repository, b.Digest, _foreign);
                return new Scenario([Edge(id, clean.Digest, "1.0"), Edge(id, b.Digest, "2.0")], basePolicy with { RequiredSignature = Trusted() },
                    ["2.0"], [b.Digest], ["1.0"]);
            }
            case Reason.LostSource:
            {
                var gone = Digest.Of(System.Text.Encoding.UTF8.GetBytes($"never pushed {id}"));
                return new Scenario([Edge(id, clean.Digest, "1.0"), Edge(id, gone, "2.0")], basePolicy with { LostEdges = LostEdgePolicy.Fail },
                    ["2.0"], [gone], ["1.0"]);
            }
            case Reason.Drift:
            {
                IReadOnlyList<PromotionEdge> edges = [Edge(id, clean.Digest, "1.0"), Edge(id, b.Digest, "2.0")];
                PromotionPlan? reviewed = null;
                await new PromotionPipeline(pool, new PromotionPolicy { OnPlan = p => reviewed = p }).RunAsync(_ => edges);
                await TestImages.PushAsync(production, repository, "2.0", $"moved meanwhile {id}\n");
                return new Scenario(edges, basePolicy with { ExpectedPlan = reviewed, ExpectedPlanFile = "reviewed.json" }, ["1.0", "2.0"], [], []);
            }
            case Reason.SbomConflict:
            {
                var sbom = AttachmentTags.For(clean.Digest, AttachmentKind.Sbom);
                await CosignFixtures.PushSbomAsync(staging, repository, clean.Digest, $"{{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"staging {id}\"}}");
                await CosignFixtures.PushSbomAsync(production, repository, clean.Digest, $"{{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"other {id}\"}}");
                return new Scenario([Edge(id, clean.Digest, "1.0")], basePolicy, [sbom], [], ["1.0"]);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(reason), reason, null);
        }
    }
}
