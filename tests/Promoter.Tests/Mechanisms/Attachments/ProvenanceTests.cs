using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Promoter.Attachments;
using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Tests.Promotion.Engine;
using Promoter.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Promoter.Tests.Attachments;

/// <summary>
/// Promotion records (<c>--sign</c>) and <c>--require-provenance</c> against real Distribution processes (no referrers API:
/// the referrers tag schema fallback), keys made by <c>openssl</c>. Each record is fetched over plain HTTP, its bundle and
/// statement read with the test's own JSON code, and its DSSE signature checked by <c>openssl dgst -verify</c> over a PAE
/// the test builds itself; SLSA provenance is built as text and signed by openssl.
/// </summary>
public class ProvenanceTests(EngineFixture fixture, ITestOutputHelper output) : IClassFixture<EngineFixture>
{
    private static readonly HttpClient Http = new();

    private static async Task<byte[]> GetAsync(string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<bool> ExistsAsync(string url, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await Http.SendAsync(request);
        return response.IsSuccessStatusCode;
    }

    /// <summary>The DSSE PAE, written here from the spec (not the project's <see cref="Dsse.Pae"/>).</summary>
    private static byte[] Pae(string type, byte[] body) =>
        [.. Encoding.ASCII.GetBytes($"DSSEv1 {Encoding.UTF8.GetByteCount(type)} {type} {body.Length} "), .. body];

    /// <summary>A promotion record read back over HTTP: the referrer, the statement and its signature.</summary>
    private sealed record FetchedRecord(Digest Referrer, JsonElement Manifest, string PayloadType, byte[] Statement, string Signature, string? KeyHint);

    /// <summary>The promotion records the <c>sha256-&lt;hex&gt;</c> fallback index lists for <paramref name="subject"/>.</summary>
    private static async Task<List<FetchedRecord>> RecordsOverHttpAsync(string host, string repository, Digest subject)
    {
        var index = JsonDocument.Parse(await GetAsync($"http://{host}/v2/{repository}/manifests/sha256-{subject.Hex}", MediaTypes.OciIndex));
        var records = new List<FetchedRecord>();
        foreach (var entry in index.RootElement.GetProperty("manifests").EnumerateArray())
        {
            if (!entry.TryGetProperty("artifactType", out var type) || type.GetString() != "application/vnd.dev.sigstore.bundle.v0.3+json") continue;
            var digest = Digest.Parse(entry.GetProperty("digest").GetString()!);
            var manifest = JsonDocument.Parse(await GetAsync($"http://{host}/v2/{repository}/manifests/{digest}", MediaTypes.OciManifest)).RootElement.Clone();
            var layer = manifest.GetProperty("layers")[0].GetProperty("digest").GetString();
            using var bundle = JsonDocument.Parse(await GetAsync($"http://{host}/v2/{repository}/blobs/{layer}"));
            var envelope = bundle.RootElement.GetProperty("dsseEnvelope");
            records.Add(new FetchedRecord(digest, manifest, envelope.GetProperty("payloadType").GetString()!,
                Convert.FromBase64String(envelope.GetProperty("payload").GetString()!), envelope.GetProperty("signatures")[0].GetProperty("sig").GetString()!,
                bundle.RootElement.GetProperty("verificationMaterial").GetProperty("publicKey").GetProperty("hint").GetString()));
        }
        return records;
    }

    private static string Version()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Promoter.slnx"))) folder = folder.Parent;
        return File.ReadAllText(Path.Combine(folder!.FullName, "VERSION")).Trim();
    }

    [Fact]
    public async Task Every_digest_written_gets_one_signed_promotion_record_that_openssl_verifies_and_a_rerun_adds_none()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("record");
        var staging = pool.For(EngineFixture.Staging);
        var key = await OpenSslKey.CreateAsync("record");
        var a = await TestImages.PushAsync(staging, $"{id}/img", null, "record a", "amd64");
        var b = await TestImages.PushAsync(staging, $"{id}/img", null, "record b", "arm64");
        var index = await TestImages.PushIndexAsync(staging, $"{id}/img", "multi", a, b);
        // The source already has an SBOM referrer of the index: the record joins it in one fallback index.
        var sbom = await CosignFixtures.PushReferrerAsync(staging, $"{id}/img", index.Digest, index.Bytes.Length, "application/spdx+json", "{\"spdx\":1}");
        var edges = new[] { new PromotionEdge($"{EngineFixture.Staging}/{id}", "img", index.Digest.Value, $"{EngineFixture.Production}/{id}", "img", "1.0") };
        using var signer = SigningKeys.LoadSigner(key.PrivatePkcs8, null);
        var lines = new List<string>();
        var policy = new PromotionPolicy { Confirm = true, Threads = 4, Signer = signer, Log = (_, line) => { lock (lines) lines.Add(line); } };

        var first = await new PromotionPipeline(pool, policy).RunAsync(_ => edges);
        first.Plan.AttachmentWrites.Count(w => w.Destination.Tag is null).Should().Be(3, "one record per digest written: the index and its two children");

        var other = await OpenSslKey.CreateAsync("record-other");
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);
        var referrersBefore = new Dictionary<Digest, Digest>();
        foreach (var digest in new[] { index.Digest, a.Digest, b.Digest })
        {
            var records = await RecordsOverHttpAsync(fixture.Second.Host, $"{id}/img", digest);
            records.Should().ContainSingle($"one record of {digest}");
            var record = records[0];
            referrersBefore[digest] = record.Referrer;
            record.Manifest.GetProperty("artifactType").GetString().Should().Be("application/vnd.dev.sigstore.bundle.v0.3+json");
            record.Manifest.GetProperty("annotations").GetProperty("dev.sigstore.bundle.predicateType").GetString().Should().Be("https://k8s.io/promo-tools/promotion/v1");
            record.Manifest.GetProperty("subject").GetProperty("digest").GetString().Should().Be(digest.Value);
            record.PayloadType.Should().Be("application/vnd.in-toto+json");
            record.KeyHint.Should().Be(Convert.ToBase64String(Convert.FromHexString(signer.Verifier.Fingerprint["sha256:".Length..])));

            (await key.OpenSslVerifiesAsync(Pae(record.PayloadType, record.Statement), record.Signature)).Should().BeTrue($"openssl verifies the record of {digest}");
            (await other.OpenSslVerifiesAsync(Pae(record.PayloadType, record.Statement), record.Signature)).Should().BeFalse("another key");
            var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(record.Statement).Replace($"us.gcr.io/{id}/img@", $"us.gcr.io/{id}/evil@"));
            tampered.Should().NotEqual(record.Statement);
            (await key.OpenSslVerifiesAsync(Pae(record.PayloadType, tampered), record.Signature)).Should().BeFalse("a tampered statement");

            using var statement = JsonDocument.Parse(record.Statement);
            var root = statement.RootElement;
            root.GetProperty("_type").GetString().Should().Be("https://in-toto.io/Statement/v1");
            root.GetProperty("predicateType").GetString().Should().Be("https://k8s.io/promo-tools/promotion/v1");
            root.GetProperty("subject")[0].GetProperty("digest").GetProperty("sha256").GetString().Should().Be(digest.Hex);
            var predicate = root.GetProperty("predicate");
            predicate.GetProperty("srcRef").GetString().Should().Be($"{EngineFixture.Staging}/{id}/img@{digest}");
            predicate.GetProperty("dstRef").GetString().Should().Be($"{EngineFixture.Production}/{id}/img@{digest}");
            predicate.GetProperty("digest").GetString().Should().Be(digest.Value);
            predicate.GetProperty("builderId").GetString().Should().Be($"image-promoter-build-pipeline@v{Version()}");
            DateTimeOffset.Parse(predicate.GetProperty("timestamp").GetString()!).Should().BeAfter(before);
            output.WriteLine($"record {record.Referrer} of {EngineFixture.Production}/{id}/img@{digest}, openssl: Verified OK\n{Encoding.UTF8.GetString(record.Statement)}");
        }
        var sbomListed = JsonDocument.Parse(await GetAsync($"http://{fixture.Second.Host}/v2/{id}/img/manifests/sha256-{index.Digest.Hex}", MediaTypes.OciIndex));
        sbomListed.RootElement.GetProperty("manifests").EnumerateArray().Select(e => e.GetProperty("digest").GetString())
            .Should().Contain(sbom.Value, "the source's SBOM referrer is listed beside the record");

        // A rerun finds each record (another timestamp would make other bytes) and writes nothing.
        await Task.Delay(1100);
        var again = await new PromotionPipeline(pool, policy).RunAsync(_ => edges);
        again.Plan.IsEmpty.Should().BeTrue(string.Join("\n", again.Plan.Describe()));
        foreach (var digest in new[] { index.Digest, a.Digest, b.Digest })
            (await RecordsOverHttpAsync(fixture.Second.Host, $"{id}/img", digest)).Select(r => r.Referrer).Should().Equal([referrersBefore[digest]], "a rerun adds no record");
        output.WriteLine("rerun plan:\n" + string.Join("\n", again.Plan.Describe()));
    }

    // ---- --require-provenance --------------------------------------------------------------------------------------

    private const string Builder = "https://builder.test/ci";
    private const string Repository = "github.com/example/app";

    /// <summary>A SLSA provenance v1 statement, as text.</summary>
    private static byte[] Slsa(Digest subject, string builder, string repository) => Encoding.UTF8.GetBytes(
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"img\",\"digest\":{\"sha256\":\"" + subject.Hex + "\"}}]," +
        "\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{\"buildDefinition\":{\"buildType\":\"https://builder.test/buildtype/v1\"," +
        "\"externalParameters\":{},\"resolvedDependencies\":[{\"uri\":\"git+https://" + repository + "@refs/heads/main\"," +
        "\"digest\":{\"gitCommit\":\"0123456789abcdef0123456789abcdef01234567\"}}]},\"runDetails\":{\"builder\":{\"id\":\"" + builder + "@refs/heads/main\"}}}}");

    private static async Task<string> EnvelopeAsync(OpenSslKey key, byte[] statement) =>
        $$"""{"payloadType":"application/vnd.in-toto+json","payload":"{{Convert.ToBase64String(statement)}}","signatures":[{"keyid":"","sig":"{{await key.SignAsync(Pae("application/vnd.in-toto+json", statement))}}"}]}""";

    [Fact]
    public async Task Source_digests_with_missing_wrong_key_wrong_subject_or_wrong_builder_provenance_are_refused_and_never_written()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("provenance");
        var staging = pool.For(EngineFixture.Staging);
        var key = await OpenSslKey.CreateAsync("provenance");
        var wrongKey = await OpenSslKey.CreateAsync("provenance-wrong");
        var images = new Dictionary<string, PushedImage>();
        foreach (var name in new[] { "good-att", "good-bundle", "missing", "wrong-key", "wrong-subject", "wrong-builder", "wrong-source" })
            images[name] = await TestImages.PushAsync(staging, $"{id}/{name}", "1.0", $"provenance {name}");
        async Task AttestAsync(string name, OpenSslKey by, Digest subject, string builder = Builder, string repository = Repository) =>
            await CosignFixtures.PushLayeredAttestationAsync(staging, $"{id}/{name}", images[name].Digest,
                await EnvelopeAsync(by, Slsa(subject, builder, repository)), "https://slsa.dev/provenance/v1");
        await AttestAsync("good-att", key, images["good-att"].Digest);
        await AttestAsync("wrong-key", wrongKey, images["wrong-key"].Digest);
        await AttestAsync("wrong-subject", key, images["good-att"].Digest);
        await AttestAsync("wrong-builder", key, images["wrong-builder"].Digest, builder: "https://other-builder.test/ci");
        await AttestAsync("wrong-source", key, images["wrong-source"].Digest, repository: "github.com/example/fork");
        // As a sigstore bundle referrer (cosign v3's form), built as text.
        var statement = Slsa(images["good-bundle"].Digest, Builder, Repository);
        var bundle = "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{\"publicKey\":{\"hint\":\"x\"},\"tlogEntries\":[]}," +
                     "\"dsseEnvelope\":" + await EnvelopeAsync(key, statement) + "}";
        await CosignFixtures.PushReferrerAsync(staging, $"{id}/good-bundle", images["good-bundle"].Digest, images["good-bundle"].Manifest.Length,
            "application/vnd.dev.sigstore.bundle.v0.3+json", bundle);

        var edges = images.Keys.Select(name =>
            new PromotionEdge($"{EngineFixture.Staging}/{id}", name, images[name].Digest.Value, $"{EngineFixture.Production}/{id}", name, "1.0")).ToArray();
        var requirement = new ProvenanceRequirement(SigningKeys.LoadVerifier(key.Public), ProvenanceMode.Require, Builder, "https://github.com/example/app");
        var policy = new PromotionPolicy { Confirm = true, Threads = 4, IsolateEdges = true, RequiredProvenance = requirement };

        var run = () => new PromotionPipeline(pool, policy).RunAsync(_ => edges);
        var refused = (await run.Should().ThrowAsync<EdgesRefusedException>()).Which.Refused;
        foreach (var line in refused) output.WriteLine(line.ToString());
        string Reason(string name) => refused.Single(r => r.Edge.SourceImage == name && r.Edge.Tag == "1.0").Reason!;
        Reason("missing").Should().Contain("provenance: ").And.Contain("missing: no SLSA provenance");
        Reason("wrong-key").Should().Contain($"wrong key: not signed by {requirement.Key.Fingerprint}");
        Reason("wrong-subject").Should().Contain($"wrong subject: names {images["good-att"].Digest}, not {images["wrong-subject"].Digest}");
        Reason("wrong-builder").Should().Contain($"wrong builder: https://other-builder.test/ci@refs/heads/main, not {Builder}");
        Reason("wrong-source").Should().Contain("wrong source repository: git+https://github.com/example/fork@refs/heads/main");
        refused.Select(r => r.Edge.SourceImage).Distinct().Should().BeEquivalentTo(["missing", "wrong-key", "wrong-subject", "wrong-builder", "wrong-source"]);

        foreach (var (name, image) in images)
        {
            var promoted = name.StartsWith("good", StringComparison.Ordinal);
            (await ExistsAsync($"http://{fixture.Second.Host}/v2/{id}/{name}/manifests/{image.Digest}", MediaTypes.OciManifest))
                .Should().Be(promoted, $"{name} is {(promoted ? "" : "not ")}written");
            (await ExistsAsync($"http://{fixture.Second.Host}/v2/{id}/{name}/manifests/1.0", MediaTypes.OciManifest)).Should().Be(promoted, name);
            if (!promoted)
                (await ExistsAsync($"http://{fixture.Second.Host}/v2/{id}/{name}/manifests/sha256-{image.Digest.Hex}.att", MediaTypes.OciManifest))
                    .Should().BeFalse($"nothing referring to refused {name} is written");
        }

        // verify-if-present: a digest without provenance passes; present but wrong still refuses.
        var lenient = policy with { RequiredProvenance = requirement with { Mode = ProvenanceMode.VerifyIfPresent }, Confirm = false };
        var dry = await new PromotionPipeline(pool, lenient).Invoking(p => p.RunAsync(_ => edges)).Should().ThrowAsync<EdgesRefusedException>();
        dry.Which.Refused.Select(r => r.Edge.SourceImage).Distinct().Should().BeEquivalentTo(["wrong-key", "wrong-subject", "wrong-builder", "wrong-source"]);
    }
}
