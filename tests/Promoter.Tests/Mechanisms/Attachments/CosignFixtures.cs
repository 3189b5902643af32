using System.Text;
using FluentAssertions;
using Promoter.Attachments;
using Promoter.Oci;
using Promoter.Registry;
using Promoter.Tests.Support;

namespace Promoter.Tests.Attachments;

/// <summary>An EC P-256 key pair made by openssl in a temporary folder: PEM files and the passphrase of the encrypted one.</summary>
/// <param name="Folder">The folder holding the files.</param>
/// <param name="PrivatePkcs8">Unencrypted PKCS#8 (<c>openssl genpkey</c>).</param>
/// <param name="PrivateEncrypted">Encrypted PKCS#8 (<c>openssl pkcs8 -topk8 -v2 aes-256-cbc</c>), passphrase <paramref name="Passphrase"/>.</param>
/// <param name="PrivateSec1">The same key as SEC1 (<c>BEGIN EC PRIVATE KEY</c>).</param>
/// <param name="Public">The public key (<c>openssl pkey -pubout</c>).</param>
/// <param name="Passphrase">The passphrase of <paramref name="PrivateEncrypted"/>.</param>
public sealed record OpenSslKey(string Folder, string PrivatePkcs8, string PrivateEncrypted, string PrivateSec1, string Public, string Passphrase)
{
    /// <summary>Makes a key pair with openssl.</summary>
    public static async Task<OpenSslKey> CreateAsync(string name)
    {
        var folder = Directory.CreateTempSubdirectory($"promoter-key-{name}-").FullName;
        string F(string file) => Path.Combine(folder, file);
        var passphrase = $"pass-{Guid.NewGuid():N}";
        await ExternalTool.RunAsync("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", F("key.pem"));
        await ExternalTool.RunAsync("openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", F("key.pem"), "-out", F("key.enc.pem"), "-passout", $"pass:{passphrase}");
        await ExternalTool.RunAsync("openssl", "ec", "-in", F("key.pem"), "-out", F("key.sec1.pem"));
        await ExternalTool.RunAsync("openssl", "pkey", "-in", F("key.pem"), "-pubout", "-out", F("pub.pem"));
        return new OpenSslKey(folder, F("key.pem"), F("key.enc.pem"), F("key.sec1.pem"), F("pub.pem"), passphrase);
    }

    /// <summary>Signs <paramref name="payload"/> with openssl (<c>dgst -sha256 -sign</c>): base64 of the DER signature.</summary>
    public async Task<string> SignAsync(byte[] payload)
    {
        var file = Path.Combine(Folder, $"payload-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(file, payload);
        return Convert.ToBase64String(await ExternalTool.RunAsync("openssl", "dgst", "-sha256", "-sign", PrivatePkcs8, file));
    }

    /// <summary>Whether openssl accepts <paramref name="signatureBase64"/> over <paramref name="payload"/> for this public key
    /// (<c>openssl dgst -sha256 -verify pub.pem -signature sig.der payload</c>; exit 0 and "Verified OK").</summary>
    public async Task<bool> OpenSslVerifiesAsync(byte[] payload, string signatureBase64)
    {
        var id = Guid.NewGuid().ToString("N");
        var payloadFile = Path.Combine(Folder, $"verify-{id}.payload");
        var signatureFile = Path.Combine(Folder, $"verify-{id}.der");
        await File.WriteAllBytesAsync(payloadFile, payload);
        await File.WriteAllBytesAsync(signatureFile, Convert.FromBase64String(signatureBase64));
        var result = await ExternalTool.RunAsync("openssl", ["dgst", "-sha256", "-verify", Public, "-signature", signatureFile, payloadFile], null);
        return result.ExitCode == 0 && result.Output.Contains("Verified OK", StringComparison.Ordinal);
    }
}

/// <summary>Pushes cosign-style attachments (built by hand, signed with openssl) through the real registry API.</summary>
public static class CosignFixtures
{
    /// <summary>A cosign simple-signing payload as cosign writes it, built as text (not with the project's writer).</summary>
    public static byte[] Payload(string dockerReference, Digest digest) => Encoding.UTF8.GetBytes(
        $$"""{"critical":{"identity":{"docker-reference":"{{dockerReference}}"},"image":{"docker-manifest-digest":"{{digest}}"},"type":"cosign container image signature"},"optional":null}""");

    /// <summary>Pushes a <c>sha256-&lt;hex&gt;.sig</c> manifest with one layer per (payload, signature).</summary>
    public static Task<Digest> PushSignaturesAsync(RegistryClient client, string repository, Digest subject, params (byte[] Payload, string Signature)[] signatures) =>
        PushLayeredAsync(client, repository, AttachmentTags.For(subject, AttachmentKind.Signature),
            signatures.Select(s => (AttachmentManifests.SimpleSigningMediaType, s.Payload, (string?)$$"""{"dev.cosignproject.cosign/signature":"{{s.Signature}}"}""")).ToArray());

    /// <summary>Pushes a <c>.att</c> manifest with one DSSE envelope layer (content given) per attestation.</summary>
    public static Task<Digest> PushAttestationAsync(RegistryClient client, string repository, Digest subject, string envelope) =>
        PushLayeredAsync(client, repository, AttachmentTags.For(subject, AttachmentKind.Attestation),
            ("application/vnd.dsse.envelope.v1+json", Encoding.UTF8.GetBytes(envelope), """{"predicateType":"https://slsa.dev/provenance/v0.2"}"""));

    /// <summary>Pushes a <c>.att</c> manifest with one DSSE envelope layer annotated with <paramref name="predicateType"/>, as cosign attests.</summary>
    public static Task<Digest> PushLayeredAttestationAsync(RegistryClient client, string repository, Digest subject, string envelope, string predicateType) =>
        PushLayeredAsync(client, repository, AttachmentTags.For(subject, AttachmentKind.Attestation),
            ("application/vnd.dsse.envelope.v1+json", Encoding.UTF8.GetBytes(envelope),
                $$"""{"dev.cosignproject.cosign/signature":"","predicateType":"{{predicateType}}"}"""));

    /// <summary>Pushes a <c>.sbom</c> manifest holding one SPDX document.</summary>
    public static Task<Digest> PushSbomAsync(RegistryClient client, string repository, Digest subject, string spdx) =>
        PushLayeredAsync(client, repository, AttachmentTags.For(subject, AttachmentKind.Sbom), ("text/spdx+json", Encoding.UTF8.GetBytes(spdx), null));

    /// <summary>
    /// Pushes an OCI 1.1 artifact whose <c>subject</c> is <paramref name="subject"/> (by digest), and, as a client must on a
    /// registry without the referrers API, adds it to the <c>sha256-&lt;hex&gt;</c> fallback index (creating or extending it).
    /// </summary>
    public static async Task<Digest> PushReferrerAsync(RegistryClient client, string repository, Digest subject, long subjectSize, string artifactType, string content)
    {
        var empty = "{}"u8.ToArray();
        var blob = Encoding.UTF8.GetBytes(content);
        await client.UploadBlobAsync(repository, Digest.Of(empty), empty);
        await client.UploadBlobAsync(repository, Digest.Of(blob), blob);
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","artifactType":"{{artifactType}}","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{Digest.Of(empty)}}","size":2},"layers":[{"mediaType":"application/json","digest":"{{Digest.Of(blob)}}","size":{{blob.Length}}}],"subject":{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{subject}}","size":{{subjectSize}}""" + "}}");
        var digest = await client.PutManifestAsync(repository, Digest.Of(manifest).Value, manifest, MediaTypes.OciManifest);
        var tag = AttachmentTags.For(subject, AttachmentKind.ReferrersIndex);
        var entries = new List<string>();
        var existing = await AttachmentFinder.GetIfPresentAsync(client, repository, tag);
        if (existing is not null) entries.AddRange(AttachmentManifests.ReadIndex(existing, tag).Select(e => e.Json));
        entries.Add($$"""{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{digest}}","size":{{manifest.Length}},"artifactType":"{{artifactType}}"}""");
        var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{{string.Join(",", entries)}}]}""");
        await client.PutManifestAsync(repository, tag, index, MediaTypes.OciIndex);
        return digest;
    }

    private static async Task<Digest> PushLayeredAsync(RegistryClient client, string repository, string tag, params (string MediaType, byte[] Blob, string? Annotations)[] layers)
    {
        var config = Encoding.UTF8.GetBytes("""{"architecture":"","os":"","rootfs":{"type":"layers","diff_ids":[]},"config":{}}""");
        await client.UploadBlobAsync(repository, Digest.Of(config), config);
        var descriptors = new List<string>();
        foreach (var (mediaType, blob, annotations) in layers)
        {
            await client.UploadBlobAsync(repository, Digest.Of(blob), blob);
            var extra = annotations is null ? "" : ",\"annotations\":" + annotations;
            descriptors.Add($$"""{"mediaType":"{{mediaType}}","size":{{blob.Length}},"digest":"{{Digest.Of(blob)}}"{{extra}}""" + "}");
        }
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","size":{{config.Length}},"digest":"{{Digest.Of(config)}}"},"layers":[{{string.Join(",", descriptors)}}]}""");
        var digest = await client.PutManifestAsync(repository, tag, manifest, MediaTypes.OciManifest);
        digest.Should().Be(Digest.Of(manifest));
        return digest;
    }
}
