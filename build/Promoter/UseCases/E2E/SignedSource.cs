using System.Text;
using Promoter.Attachments;
using Promoter.Oci;
using Promoter.Registry;
using Promoter.Promotion.Registries;

namespace Promoter.E2E;

/// <summary>
/// Signs and attests every manifest under a source registry path, in cosign's and OCI 1.1's shapes, from committed
/// signatures (<see cref="SourceSignatureFixture"/>), so that the bytes (and digests) are the same every run. Per digest D
/// of repository R (children of an index included, as <c>cosign sign --recursive</c>):
/// <list type="bullet">
/// <item><c>R:sha256-&lt;hex&gt;.sig</c>: one simple-signing layer (<see cref="SignaturePayload"/>) with the signature annotation
/// (SIGNATURE_SPEC.md "OCI Image Manifest V1");</item>
/// <item><c>R:sha256-&lt;hex&gt;.att</c>: one DSSE envelope layer (<see cref="Dsse.EnvelopeMediaType"/>) of an in-toto
/// statement (<see cref="Statement"/>), annotations <c>dev.cosignproject.cosign/signature: ""</c> and <c>predicateType</c>
/// (cosign ATTESTATION_SPEC.md);</item>
/// <item>an SBOM referrer: an OCI manifest with <c>artifactType</c> <see cref="SbomArtifactType"/>, the empty config
/// (<c>application/vnd.oci.empty.v1+json</c>, <c>{}</c>), one SPDX layer and <c>subject</c> D; listed in the referrers
/// tag schema fallback index <c>R:sha256-&lt;hex&gt;</c> (distribution-spec 1.1 "Referrers Tag Schema"; Distribution 2.8
/// has no referrers API).</item>
/// </list>
/// </summary>
public static class SignedSource
{
    /// <summary>The predicate type of the attestation (cosign's <c>attest --type custom</c>).</summary>
    public const string PredicateType = "https://cosign.sigstore.dev/attestation/v1";

    /// <summary>The artifact type of the SBOM referrer.</summary>
    public const string SbomArtifactType = "application/spdx+json";

    /// <summary>The OCI 1.1 empty descriptor's media type, for an artifact's config.</summary>
    public const string EmptyMediaType = "application/vnd.oci.empty.v1+json";

    /// <summary>The simple-signing payload of <paramref name="digest"/> in <paramref name="reference"/> (<c>optional</c> null).</summary>
    public static byte[] SignaturePayload(string reference, Digest digest) => new SimpleSigningPayload(reference, digest).ToBytes();

    /// <summary>The in-toto statement attested for <paramref name="digest"/>: subject <paramref name="reference"/> at the digest,
    /// predicate <c>{"Data":…,"Timestamp":"0001-01-01T00:00:00Z"}</c> (a fixed time keeps the bytes reproducible).</summary>
    public static byte[] Statement(string reference, Digest digest) => Dsse.Statement(reference, digest, PredicateType,
        new Dictionary<string, string>
        {
            ["Data"] = "built from images/golden by ./build.sh --target ContainerizeGolden (e2e test attestation)",
            ["Timestamp"] = "0001-01-01T00:00:00Z",
        });

    /// <summary>The SPDX 2.3 JSON document of the SBOM referrer of <paramref name="digest"/> (compact, fixed creation time).</summary>
    public static byte[] Sbom(string reference, Digest digest) => Encoding.UTF8.GetBytes(
        "{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":\"SPDXRef-DOCUMENT\"," +
        $"\"name\":\"{reference}@{digest}\",\"documentNamespace\":\"https://registry.test/spdx/{digest.Hex}\"," +
        "\"creationInfo\":{\"created\":\"2000-01-01T00:00:00Z\",\"creators\":[\"Tool: promoter-e2e\"]}," +
        $"\"packages\":[{{\"SPDXID\":\"SPDXRef-image\",\"name\":\"{reference}\",\"versionInfo\":\"{digest}\",\"downloadLocation\":\"NOASSERTION\"}}]}}");

    /// <summary>Signs the payload and the attestation PAE of <paramref name="digest"/> with <paramref name="signer"/>.</summary>
    public static SourceSignature Sign(string reference, Digest digest, IImageSigner signer) => new(reference, digest,
        signer.Sign(SignaturePayload(reference, digest)),
        signer.Sign(Dsse.Pae(Dsse.InTotoPayloadType, Statement(reference, digest))));

    /// <summary>Every manifest (tagged or not, children included) of every repository under <paramref name="registryName"/>,
    /// as (repository, reference, manifest), sorted by repository then digest.</summary>
    /// <exception cref="RegistryException">The registry could not be listed.</exception>
    public static async Task<IReadOnlyList<(string Repository, string Reference, ManifestContent Manifest)>> SubjectsAsync(
        RegistryPool pool, string registryName, CancellationToken cancellationToken = default)
    {
        var path = RegistryPath.Parse(registryName);
        var client = pool.For(path.Host);
        var storageRoot = pool.Resolve(path.Host).StorageRoot;
        var result = new List<(string, string, ManifestContent)>();
        foreach (var repository in await RegistrySnapshotter.RepositoriesUnderAsync(client, path, cancellationToken))
        {
            var inventory = await RegistryInventory.ReadRepositoryAsync(client, repository, storageRoot: storageRoot, cancellationToken: cancellationToken);
            foreach (var manifest in inventory.Manifests.OrderBy(m => m.Digest.Value, StringComparer.Ordinal))
            {
                if (manifest.Tags.Any(t => AttachmentTags.TryParse(t, out _, out _))) continue;
                var content = await client.GetManifestAsync(repository, manifest.Digest.Value, cancellationToken);
                result.Add((repository, $"{path.Host}/{repository}", content));
            }
        }
        return result;
    }

    /// <summary>
    /// Attaches a signature, an attestation and an SBOM referrer to every manifest under <paramref name="registryName"/>
    /// (see the class summary), with the signatures <paramref name="signatureFor"/> gives.
    /// </summary>
    /// <param name="pool">The registries.</param>
    /// <param name="registryName">The source registry path (<c>host[/prefix]</c>); it must hold only unsigned images.</param>
    /// <param name="signatureFor">The committed (or new) signatures of (reference, digest); throws when it has none.</param>
    /// <param name="cancellationToken">Cancels the pushes.</param>
    /// <returns>What was attached, per digest, sorted by repository then digest.</returns>
    /// <exception cref="RegistryException">A push failed.</exception>
    public static async Task<IReadOnlyList<AttachedSubject>> AttachAsync(RegistryPool pool, string registryName,
        Func<string, Digest, SourceSignature> signatureFor, CancellationToken cancellationToken = default)
    {
        var client = pool.For(RegistryPath.Parse(registryName).Host);
        var attached = new List<AttachedSubject>();
        foreach (var (repository, reference, manifest) in await SubjectsAsync(pool, registryName, cancellationToken))
        {
            var digest = manifest.Digest;
            var signature = signatureFor(reference, digest);
            var signatureLayer = AttachmentManifests.Layer(AttachmentManifests.SimpleSigningMediaType, SignaturePayload(reference, digest),
                new Dictionary<string, string> { [AttachmentManifests.SignatureAnnotation] = signature.Signature });
            var sig = await PushLayeredAsync(client, repository, AttachmentTags.For(digest, AttachmentKind.Signature), signatureLayer,
                SignaturePayload(reference, digest), cancellationToken);

            var envelope = Dsse.Write(Dsse.InTotoPayloadType, Statement(reference, digest), [new DsseSignature("", signature.Attestation)]);
            var attestationLayer = AttachmentManifests.Layer(Dsse.EnvelopeMediaType, envelope, new Dictionary<string, string>
            {
                [AttachmentManifests.SignatureAnnotation] = "",
                [Dsse.PredicateTypeAnnotation] = PredicateType,
            });
            var att = await PushLayeredAsync(client, repository, AttachmentTags.For(digest, AttachmentKind.Attestation), attestationLayer, envelope, cancellationToken);

            var referrer = await PushSbomReferrerAsync(client, repository, reference, manifest, cancellationToken);
            attached.Add(new AttachedSubject(repository, digest, sig, att, referrer));
        }
        return attached;
    }

    private static async Task<Digest> PushLayeredAsync(RegistryClient client, string repository, string tag, AttachmentLayer layer, byte[] blob,
        CancellationToken cancellationToken)
    {
        var built = AttachmentManifests.BuildLayered([layer]);
        await client.UploadBlobAsync(repository, layer.Digest, blob, cancellationToken);
        await client.UploadBlobAsync(repository, built.ConfigDigest!.Value, built.Config, cancellationToken);
        return await client.PutManifestAsync(repository, tag, built.Manifest.Bytes, built.Manifest.MediaType, cancellationToken);
    }

    private static async Task<Digest> PushSbomReferrerAsync(RegistryClient client, string repository, string reference, ManifestContent subject,
        CancellationToken cancellationToken)
    {
        var empty = "{}"u8.ToArray();
        var sbom = Sbom(reference, subject.Digest);
        await client.UploadBlobAsync(repository, Digest.Of(empty), empty, cancellationToken);
        await client.UploadBlobAsync(repository, Digest.Of(sbom), sbom, cancellationToken);
        var manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"artifactType\":\"{SbomArtifactType}\"," +
            $"\"config\":{{\"mediaType\":\"{EmptyMediaType}\",\"digest\":\"{Digest.Of(empty)}\",\"size\":{empty.Length},\"data\":\"e30=\"}}," +
            $"\"layers\":[{{\"mediaType\":\"{SbomArtifactType}\",\"digest\":\"{Digest.Of(sbom)}\",\"size\":{sbom.Length}}}]," +
            $"\"subject\":{{\"mediaType\":\"{subject.MediaType}\",\"digest\":\"{subject.Digest}\",\"size\":{subject.Bytes.Length}}}}}");
        var digest = await client.PutManifestAsync(repository, Digest.Of(manifest).Value, manifest, MediaTypes.OciManifest, cancellationToken);
        var entry = $"{{\"mediaType\":\"{MediaTypes.OciManifest}\",\"digest\":\"{digest}\",\"size\":{manifest.Length},\"artifactType\":\"{SbomArtifactType}\"}}";
        var index = AttachmentManifests.BuildIndex([new ReferrerEntry(entry, digest, manifest.Length, MediaTypes.OciManifest)]);
        await client.PutManifestAsync(repository, AttachmentTags.For(subject.Digest, AttachmentKind.ReferrersIndex), index.Manifest.Bytes,
            index.Manifest.MediaType, cancellationToken);
        return digest;
    }
}
