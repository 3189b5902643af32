using System.Text;
using FluentAssertions;
using Promoter.Attachments;
using Promoter.E2E;
using Promoter.Oci;
using Xunit;

namespace Promoter.Tests.Attachments;

/// <summary>
/// The pieces of the signed e2e case that need no registry: DSSE's PAE against the spec's own example, envelope and
/// statement round trips, the e2e keys <c>attach</c>/<c>verify-signatures</c>, and the signature fixture's errors.
/// (The case itself, with OpenSSL over real registries, is Build.Tests' SignedE2ETests.)
/// </summary>
public sealed class SignedSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("signed-source-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Pae_is_the_dsse_protocol_encoding()
    {
        // secure-systems-lab/dsse protocol.md, "Signature definition" example.
        Encoding.UTF8.GetString(Dsse.Pae("http://example.com/HelloWorld", "hello world"u8.ToArray()))
            .Should().Be("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    [Fact]
    public void An_envelope_and_its_statement_read_back_and_the_signature_covers_the_pae()
    {
        var digest = Digest.Of("image"u8);
        var statement = SignedSource.Statement("staging.registry.test/p/foo", digest);
        Dsse.StatementSubjects(statement, "statement").Should().Equal(digest);
        using var signer = new EcdsaKeySigner(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256), "test");
        var signature = SignedSource.Sign("staging.registry.test/p/foo", digest, signer);

        var envelope = Dsse.Parse(Dsse.Write(Dsse.InTotoPayloadType, statement, [new DsseSignature("", signature.Attestation)]), "envelope");
        envelope.PayloadType.Should().Be(Dsse.InTotoPayloadType);
        envelope.Payload.Should().Equal(statement);
        signer.Verifier.Verify(envelope.SignedBytes, envelope.Signatures[0].SignatureBase64).Should().BeTrue();
        signer.Verifier.Verify(statement, envelope.Signatures[0].SignatureBase64).Should().BeFalse("DSSE signs the PAE, not the bare payload");
        signer.Verifier.Verify(SignedSource.SignaturePayload("staging.registry.test/p/foo", digest), signature.Signature).Should().BeTrue();

        var act = () => Dsse.Parse("{\"payloadType\":\"x\",\"payload\":\"***\",\"signatures\":[]}"u8.ToArray(), "layer sha256:1");
        act.Should().Throw<FormatException>().WithMessage("layer sha256:1: the DSSE envelope's 'payload' is not base64.");
    }

    [Fact]
    public void The_fixture_round_trips_and_a_bad_one_names_the_file_and_field()
    {
        var digest = Digest.Of("x"u8);
        var path = Path.Combine(_folder, "sigs.json");
        new SourceSignatureFixture("key.pub", [new SourceSignature("r.test/a", digest, "c2ln", "YXR0")]).Save(path);
        var loaded = SourceSignatureFixture.Load(path);
        loaded.PublicKeyFile.Should().Be("key.pub");
        loaded.Find("r.test/a", digest).Should().Be(new SourceSignature("r.test/a", digest, "c2ln", "YXR0"));
        loaded.Find("r.test/b", digest).Should().BeNull();
        File.ReadAllText(path).Should().Contain("TEST-ONLY");

        File.WriteAllText(path, "{\"publicKey\":\"k.pub\",\"signatures\":[{\"reference\":\"r\",\"digest\":\"sha256:12\",\"signature\":\"s\",\"attestation\":\"a\"}]}");
        var act = () => SourceSignatureFixture.Load(path);
        act.Should().Throw<FormatException>().WithMessage($"{path}: signatures[0].digest 'sha256:12' is not a sha256 digest.");
        File.WriteAllText(path, "{\"signatures\":[]}");
        act.Should().Throw<FormatException>().WithMessage($"{path}: publicKey is missing or not a non-empty string.");
    }

    [Fact]
    public void The_e2e_keys_attach_and_verify_signatures_are_read_and_resolve_PWD()
    {
        var tests = E2ETestFile.Parse("""
            - name: signed
              registries: [{name: staging.registry.test/s}]
              attach: "$PWD/fixture/sigs.json"
              verify-signatures: "$PWD/fixture/key.pub"
              invocation: []
              snapshots: []
            """, "tests.yaml");
        tests[0].Attach.Should().Be("$PWD/fixture/sigs.json");
        E2ETest.ResolvePath(tests[0].VerifySignatures!, "/repo").Should().Be("/repo/fixture/key.pub");
    }
}
