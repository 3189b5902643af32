using System.Collections.Concurrent;
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

namespace Promoter.Tests.Attachments;

/// <summary>
/// <c>--sign</c> and <c>--require-signature</c> against real Distribution processes, with keys made by openssl: every
/// destination signature is fetched over plain HTTP and verified by <c>openssl dgst -sha256 -verify</c>, its payload read
/// with a JSON parser of the test's own; a tampered payload, a wrong key and a signature of another digest are rejected
/// by openssl and by the project's verifier.
/// </summary>
public class SigningTests(EngineFixture fixture) : IClassFixture<EngineFixture>
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

    /// <summary>The (payload, base64 signature) pairs of <c>sha256-&lt;hex&gt;.sig</c>, read over plain HTTP.</summary>
    private static async Task<List<(byte[] Payload, string Signature)>> SignaturesOverHttpAsync(string host, string repository, Digest subject)
    {
        var manifest = await GetAsync($"http://{host}/v2/{repository}/manifests/sha256-{subject.Hex}.sig", MediaTypes.OciManifest);
        using var json = JsonDocument.Parse(manifest);
        var result = new List<(byte[], string)>();
        foreach (var layer in json.RootElement.GetProperty("layers").EnumerateArray())
        {
            layer.GetProperty("mediaType").GetString().Should().Be("application/vnd.dev.cosign.simplesigning.v1+json");
            var payload = await GetAsync($"http://{host}/v2/{repository}/blobs/{layer.GetProperty("digest").GetString()}");
            result.Add((payload, layer.GetProperty("annotations").GetProperty("dev.cosignproject.cosign/signature").GetString()!));
        }
        return result;
    }

    private static (string Reference, string Digest, string Type) ReadPayload(byte[] payload)
    {
        using var json = JsonDocument.Parse(payload);
        var critical = json.RootElement.GetProperty("critical");
        return (critical.GetProperty("identity").GetProperty("docker-reference").GetString()!,
            critical.GetProperty("image").GetProperty("docker-manifest-digest").GetString()!,
            critical.GetProperty("type").GetString()!);
    }

    [Fact]
    public async Task Every_destination_digest_gets_a_signature_that_openssl_verifies_and_tampering_is_rejected_by_both()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("sign");
        var staging = pool.For(EngineFixture.Staging);
        var key = await OpenSslKey.CreateAsync("sign");
        var other = await OpenSslKey.CreateAsync("other");
        var a = await TestImages.PushAsync(staging, $"{id}/img", null, "signed a", "amd64");
        var b = await TestImages.PushAsync(staging, $"{id}/img", null, "signed b", "arm64");
        var index = await TestImages.PushIndexAsync(staging, $"{id}/img", "multi", a, b);
        var edges = new[]
        {
            new PromotionEdge($"{EngineFixture.Staging}/{id}", "img", index.Digest.Value, $"{EngineFixture.Production}/{id}", "img", "1.0"),
            new PromotionEdge($"{EngineFixture.Staging}/{id}", "img", index.Digest.Value, $"{EngineFixture.Production}/{id}/mirror", "img", "1.0"),
        };
        var passphraseFile = Path.Combine(key.Folder, "passphrase.txt");
        await File.WriteAllTextAsync(passphraseFile, key.Passphrase + "\n");
        var lines = new ConcurrentQueue<string>();
        using var signer = SigningKeys.LoadSigner(key.PrivateEncrypted, passphraseFile, null);
        var policy = new PromotionPolicy { Confirm = true, Threads = 4, Signer = signer, Log = (_, line) => lines.Enqueue(line) };

        await new PromotionPipeline(pool, policy).RunAsync(_ => edges);

        var destinations = new[] { ($"{id}/img", $"{EngineFixture.Production}/{id}/img"), ($"{id}/mirror/img", $"{EngineFixture.Production}/{id}/mirror/img") };
        var checkedSignatures = 0;
        foreach (var (repository, reference) in destinations)
        {
            foreach (var digest in new[] { index.Digest, a.Digest, b.Digest })
            {
                var signatures = await SignaturesOverHttpAsync(fixture.Second.Host, repository, digest);
                signatures.Should().ContainSingle($"{reference}@{digest} is signed once");
                var (payload, signature) = signatures[0];
                (await key.OpenSslVerifiesAsync(payload, signature)).Should().BeTrue($"openssl verifies the signature of {reference}@{digest}");
                ReadPayload(payload).Should().Be((reference, digest.Value, "cosign container image signature"));
                checkedSignatures++;
            }
        }
        checkedSignatures.Should().Be(6);

        // Tampering, checked by openssl and by the project's verifier.
        var (payloadA, signatureA) = (await SignaturesOverHttpAsync(fixture.Second.Host, $"{id}/img", a.Digest))[0];
        var (payloadB, signatureB) = (await SignaturesOverHttpAsync(fixture.Second.Host, $"{id}/img", b.Digest))[0];
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(payloadA).Replace(a.Digest.Value, b.Digest.Value));
        (await key.OpenSslVerifiesAsync(tampered, signatureA)).Should().BeFalse("a tampered payload");
        signer.Verifier.Verify(tampered, signatureA).Should().BeFalse();
        (await other.OpenSslVerifiesAsync(payloadA, signatureA)).Should().BeFalse("the wrong key");
        SigningKeys.LoadVerifier(other.Public).Verify(payloadA, signatureA).Should().BeFalse();
        (await key.OpenSslVerifiesAsync(payloadA, signatureB)).Should().BeFalse("a signature of another digest's payload");
        signer.Verifier.Verify(payloadA, signatureB).Should().BeFalse();
        // A genuine signature of B's payload offered for A: the signature is valid, the payload names another digest.
        (await key.OpenSslVerifiesAsync(payloadB, signatureB)).Should().BeTrue();
        ReadPayload(payloadB).Digest.Should().NotBe(a.Digest.Value);
        var layerB = AttachmentManifests.Layer(AttachmentManifests.SimpleSigningMediaType, payloadB,
            new Dictionary<string, string> { [AttachmentManifests.SignatureAnnotation] = signatureB });
        signer.Verifier.Check(layerB, payloadB, a.Digest)!.Reason.Should().Be($"the payload signs {b.Digest}, not {a.Digest}");
        signer.Verifier.Check(layerB, payloadB, b.Digest).Should().BeNull();

        // The key never reaches the log.
        var keyBody = string.Join("", File.ReadAllLines(key.PrivatePkcs8).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        var keyStart = keyBody.Substring(0, 24);
        lines.Should().NotContain(l => l.Contains(keyStart, StringComparison.Ordinal) || l.Contains(key.Passphrase, StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith($"WRITE {EngineFixture.Production}/{id}/img:sha256-{index.Digest.Hex}.sig as ", StringComparison.Ordinal)
                                    && l.Contains(signer.Description, StringComparison.Ordinal));

        // Signing again adds nothing: each destination already holds a signature of this key for its digest and repository.
        var again = await new PromotionPipeline(pool, policy).RunAsync(_ => edges);
        again.Plan.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public async Task Keys_are_read_as_pkcs8_encrypted_pkcs8_and_sec1_and_a_wrong_passphrase_is_refused_without_echoing_it()
    {
        var key = await OpenSslKey.CreateAsync("forms");
        var payload = CosignFixtures.Payload("example.com/x", Digest.Of("x"u8));
        using var plain = SigningKeys.LoadSigner(key.PrivatePkcs8, null);
        using var sec1 = SigningKeys.LoadSigner(key.PrivateSec1, null);
        Environment.SetEnvironmentVariable("PROMOTER_TEST_PASSPHRASE", key.Passphrase);
        using var encrypted = SigningKeys.LoadSigner(key.PrivateEncrypted, null, "PROMOTER_TEST_PASSPHRASE");
        foreach (var signer in new[] { plain, sec1, encrypted })
        {
            (await key.OpenSslVerifiesAsync(payload, signer.Sign(payload))).Should().BeTrue(signer.Description);
            signer.Verifier.Fingerprint.Should().Be(SigningKeys.LoadVerifier(key.Public).Fingerprint);
        }

        var wrong = Path.Combine(key.Folder, "wrong.txt");
        await File.WriteAllTextAsync(wrong, "not-the-passphrase\n");
        var load = () => SigningKeys.LoadSigner(key.PrivateEncrypted, wrong, null);
        load.Should().Throw<SigningKeyException>().WithMessage($"{key.PrivateEncrypted}: cannot decrypt the key*")
            .Which.Message.Should().NotContain("not-the-passphrase");
        var missing = () => SigningKeys.LoadSigner(key.PrivateEncrypted, null);
        missing.Should().Throw<SigningKeyException>().WithMessage("*the key is encrypted; give its passphrase*");
        var p384 = Path.Combine(key.Folder, "p384.pem");
        await ExternalTool.RunAsync("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", p384);
        var curve = () => SigningKeys.LoadSigner(p384, null);
        curve.Should().Throw<SigningKeyException>().WithMessage("*not P-256*");
    }

    [Fact]
    public async Task Require_signature_refuses_an_unsigned_source_digest_and_one_signed_by_another_key_even_in_a_dry_run()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("require");
        var staging = pool.For(EngineFixture.Staging);
        var key = await OpenSslKey.CreateAsync("require");
        var other = await OpenSslKey.CreateAsync("require-other");
        var signed = await TestImages.PushAsync(staging, $"{id}/img", null, "signed");
        var unsigned = await TestImages.PushAsync(staging, $"{id}/img", null, "unsigned");
        var foreign = await TestImages.PushAsync(staging, $"{id}/img", null, "foreign");
        foreach (var (image, signingKey) in new[] { (signed, key), (foreign, other) })
        {
            var payload = CosignFixtures.Payload($"{EngineFixture.Staging}/{id}/img", image.Digest);
            await CosignFixtures.PushSignaturesAsync(staging, $"{id}/img", image.Digest, (payload, await signingKey.SignAsync(payload)));
        }
        PromotionEdge Edge(PushedImage image, string tag) =>
            new($"{EngineFixture.Staging}/{id}", "img", image.Digest.Value, $"{EngineFixture.Production}/{id}", "img", tag);
        var policy = new PromotionPolicy { Threads = 2, RequiredSignature = SigningKeys.LoadVerifier(key.Public) };

        var dry = async () => await new PromotionPipeline(pool, policy).RunAsync(_ => [Edge(signed, "ok"), Edge(unsigned, "no"), Edge(foreign, "other")]);
        var refusal = (await dry.Should().ThrowAsync<PromotionRefusedException>()).Which;
        refusal.Refused.Select(r => r.Edge.Tag).Should().Equal("no", "other");
        refusal.Message.Should().Contain($"REFUSED unsigned: {EngineFixture.Staging}/{id}/img@{unsigned.Digest} has no signature valid for key")
            .And.Contain($"(no sha256-{unsigned.Digest.Hex}.sig tag)")
            .And.Contain($"is not valid for key {policy.RequiredSignature.Fingerprint}");
        (await pool.For(EngineFixture.Production).HeadManifestAsync($"{id}/img", signed.Digest.Value)).Should().BeNull("a refusal writes nothing");

        var live = await new PromotionPipeline(pool, policy with { Confirm = true }).RunAsync(_ => [Edge(signed, "ok")]);
        live.Stop.Should().Be(PromotionStop.Completed);
        (await pool.For(EngineFixture.Production).HeadManifestAsync($"{id}/img", $"sha256-{signed.Digest.Hex}.sig")).Should().NotBeNull("the signature travels too");
    }
}
