using System.Reflection;
using System.Text;
using System.Text.Json;
using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Attachments;

/// <summary>
/// Promotion records (kpromo's <c>promoter/image/provenance</c>: an in-toto Statement v1 with predicate type
/// <see cref="PromotionPredicateType"/> and predicate <c>{srcRef, dstRef, digest, timestamp, builderId}</c>), signed as a
/// DSSE envelope, carried in a sigstore bundle v0.3 stored as an OCI 1.1 referrer of the promoted digest; and the reading
/// of such bundles and of cosign <c>.att</c> envelopes into <see cref="AttestationEvidence"/> (for the records a run finds,
/// and for <c>--require-provenance</c>'s SLSA provenance). Sources: in-toto/attestation <c>spec/v1/statement.md</c>,
/// sigstore/protobuf-specs <c>sigstore_bundle.proto</c> (v0.3: <c>verificationMaterial.publicKey.hint</c>,
/// <c>dsseEnvelope</c>), cosign's bundle referrers (<c>dev.sigstore.bundle.*</c> annotations), SLSA provenance v1.
/// </summary>
public static class Provenance
{
    /// <summary>kpromo's predicate type of a promotion record.</summary>
    public const string PromotionPredicateType = "https://k8s.io/promo-tools/promotion/v1";

    /// <summary>The SLSA build provenance v1 predicate type (<c>--require-provenance</c>).</summary>
    public const string SlsaProvenanceV1 = "https://slsa.dev/provenance/v1";

    /// <summary>The in-toto Statement v1 <c>_type</c>.</summary>
    public const string StatementV1 = "https://in-toto.io/Statement/v1";

    /// <summary>The artifact type of a sigstore bundle referrer, and the media type of its layer.</summary>
    public const string BundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <summary>The referrer annotation naming the bundle's predicate type.</summary>
    public const string PredicateTypeAnnotation = "dev.sigstore.bundle.predicateType";

    /// <summary>The referrer annotation naming what the bundle holds (<c>dsse-envelope</c>).</summary>
    public const string ContentAnnotation = "dev.sigstore.bundle.content";

    /// <summary>The OCI <c>org.opencontainers.image.created</c> annotation.</summary>
    public const string CreatedAnnotation = "org.opencontainers.image.created";

    /// <summary>The OCI 1.1 empty descriptor's media type and content (<c>{}</c>), the config of an artifact.</summary>
    public const string EmptyMediaType = "application/vnd.oci.empty.v1+json";

    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    /// <summary>The project and its version (the assembly version is the repository's <c>VERSION</c>), as a record's
    /// <c>builderId</c>: <c>image-promoter-build-pipeline@v&lt;VERSION&gt;</c>.</summary>
    public static string BuilderId { get; } = "image-promoter-build-pipeline@v" +
        (typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
         ?? typeof(Provenance).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <summary>The public-key hint of a bundle: base64 of the sha256 of the key's DER SubjectPublicKeyInfo (its
    /// <see cref="SignatureVerifier.Fingerprint"/> in another encoding).</summary>
    public static string KeyHint(SignatureVerifier verifier) => Convert.ToBase64String(Convert.FromHexString(Digest.Parse(verifier.Fingerprint).Hex));

    /// <summary>
    /// The promotion record statement: <c>{"_type":Statement/v1,"subject":[{"name":dstRepository,"digest":{"sha256":H}}],
    /// "predicateType":…,"predicate":{"srcRef","dstRef","digest","timestamp","builderId"}}</c>, compact.
    /// </summary>
    public static byte[] RecordStatement(string sourceReference, string destinationRepository, Digest digest, DateTimeOffset timestamp, string builderId) => Dsse.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("_type", StatementV1);
        Dsse.WriteSubject(w, destinationRepository, digest);
        w.WriteString("predicateType", PromotionPredicateType);
        w.WriteStartObject("predicate");
        w.WriteString("srcRef", sourceReference);
        w.WriteString("dstRef", $"{destinationRepository}@{digest}");
        w.WriteString("digest", digest.Value);
        w.WriteString("timestamp", Timestamp(timestamp));
        w.WriteString("builderId", builderId);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>RFC 3339 UTC to the second, as protojson writes a Timestamp without fraction.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A sigstore bundle v0.3 holding one DSSE envelope and a public-key hint (no transparency log entry: key-based).</summary>
    public static byte[] Bundle(string payloadType, byte[] payload, string signatureBase64, string keyHint) => Dsse.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("mediaType", BundleMediaType);
        w.WriteStartObject("verificationMaterial");
        w.WriteStartObject("publicKey");
        w.WriteString("hint", keyHint);
        w.WriteEndObject();
        w.WriteStartArray("tlogEntries");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("dsseEnvelope");
        w.WriteString("payload", Convert.ToBase64String(payload));
        w.WriteString("payloadType", payloadType);
        w.WriteStartArray("signatures");
        w.WriteStartObject();
        w.WriteString("sig", signatureBase64);
        w.WriteString("keyid", "");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>The DSSE envelope of a sigstore bundle (<c>dsseEnvelope</c>), and its public-key hint (or null).</summary>
    /// <exception cref="FormatException">Not JSON, or no <c>dsseEnvelope</c> object (a message-signature bundle, say).</exception>
    public static (DsseEnvelope Envelope, string? KeyHint) ReadBundle(byte[] bundle, string source)
    {
        try
        {
            using var json = JsonDocument.Parse(bundle);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("dsseEnvelope", out var envelope) || envelope.ValueKind != JsonValueKind.Object)
                throw new FormatException($"{source}: the sigstore bundle holds no 'dsseEnvelope'.");
            string? hint = root.TryGetProperty("verificationMaterial", out var m) && m.ValueKind == JsonValueKind.Object
                           && m.TryGetProperty("publicKey", out var k) && k.ValueKind == JsonValueKind.Object
                           && k.TryGetProperty("hint", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
            return (Dsse.Parse(Encoding.UTF8.GetBytes(envelope.GetRawText()), $"{source} dsseEnvelope"), hint);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: the sigstore bundle is not JSON ({e.Message}).");
        }
    }

    /// <summary>
    /// Makes a promotion record of <paramref name="digest"/>: the statement, signed over its DSSE PAE, in a bundle, in an
    /// OCI manifest whose <c>subject</c> is the digest (<paramref name="subjectMediaType"/>, <paramref name="subjectSize"/>).
    /// </summary>
    public static PromotionRecord Record(IImageSigner signer, string sourceReference, string destinationRepository, Digest digest,
        string subjectMediaType, long subjectSize, DateTimeOffset timestamp, string builderId)
    {
        var statement = RecordStatement(sourceReference, destinationRepository, digest, timestamp, builderId);
        var signature = signer.Sign(Dsse.Pae(Dsse.InTotoPayloadType, statement));
        var bundle = Bundle(Dsse.InTotoPayloadType, statement, signature, KeyHint(signer.Verifier));
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [ContentAnnotation] = "dsse-envelope",
            [PredicateTypeAnnotation] = PromotionPredicateType,
            [CreatedAnnotation] = Timestamp(timestamp),
        };
        var manifest = Dsse.Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", MediaTypes.OciManifest);
            w.WriteString("artifactType", BundleMediaType);
            w.WriteStartObject("config");
            w.WriteString("mediaType", EmptyMediaType);
            w.WriteString("digest", Digest.Of(EmptyConfig).Value);
            w.WriteNumber("size", EmptyConfig.Length);
            w.WriteString("data", Convert.ToBase64String(EmptyConfig));
            w.WriteEndObject();
            w.WriteStartArray("layers");
            w.WriteStartObject();
            w.WriteString("mediaType", BundleMediaType);
            w.WriteString("digest", Digest.Of(bundle).Value);
            w.WriteNumber("size", bundle.Length);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("subject");
            w.WriteString("mediaType", subjectMediaType);
            w.WriteString("digest", digest.Value);
            w.WriteNumber("size", subjectSize);
            w.WriteEndObject();
            WriteAnnotations(w, annotations);
            w.WriteEndObject();
        });
        var manifestDigest = Digest.Of(manifest);
        var entry = Encoding.UTF8.GetString(Dsse.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("mediaType", MediaTypes.OciManifest);
            w.WriteString("digest", manifestDigest.Value);
            w.WriteNumber("size", manifest.Length);
            w.WriteString("artifactType", BundleMediaType);
            WriteAnnotations(w, annotations);
            w.WriteEndObject();
        }));
        var built = new BuiltManifest(new ManifestContent(manifest, MediaTypes.OciManifest, manifestDigest), EmptyConfig, Digest.Of(EmptyConfig));
        return new PromotionRecord(built, bundle, new ReferrerEntry(entry, manifestDigest, manifest.Length, MediaTypes.OciManifest), statement);
    }

    /// <summary>
    /// What a referrers index entry says of its referrer: its <c>artifactType</c> and the annotation
    /// <see cref="PredicateTypeAnnotation"/> (null when absent; registries need not copy them into the list).
    /// </summary>
    public static (string? ArtifactType, string? PredicateType) Describe(ReferrerEntry entry)
    {
        try
        {
            using var json = JsonDocument.Parse(entry.Json);
            var root = json.RootElement;
            var artifactType = root.TryGetProperty("artifactType", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            var predicateType = root.TryGetProperty("annotations", out var n) && n.ValueKind == JsonValueKind.Object
                                && n.TryGetProperty(PredicateTypeAnnotation, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            return (artifactType, predicateType);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>The layers of a referrer manifest that hold sigstore bundles: all of them when the manifest's
    /// <c>artifactType</c> is <see cref="BundleMediaType"/>, else those of that media type (as kpromo reads them).</summary>
    /// <exception cref="FormatException">Not an image manifest with layers.</exception>
    public static IReadOnlyList<AttachmentLayer> BundleLayers(ManifestContent referrer, string source)
    {
        string? artifactType;
        try
        {
            using var json = JsonDocument.Parse(referrer.Bytes);
            artifactType = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("artifactType", out var a)
                           && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON ({e.Message}).");
        }
        var layers = AttachmentManifests.ReadLayers(referrer, source);
        return artifactType == BundleMediaType ? layers : layers.Where(l => l.MediaType == BundleMediaType).ToList();
    }

    /// <summary>
    /// Reads a DSSE envelope's statement into evidence: whether a signature verifies with <paramref name="key"/> over the
    /// PAE, the predicate type, the subjects, and the fields the rules compare (SLSA v1 builder and sources, a record's
    /// <c>dstRef</c>). An envelope whose payload is not an in-toto statement gives evidence with <see cref="AttestationEvidence.Unreadable"/>.
    /// </summary>
    public static AttestationEvidence Evidence(DsseEnvelope envelope, SignatureVerifier key, string location)
    {
        var signed = envelope.Signatures.Any(s => key.Verify(envelope.SignedBytes, s.SignatureBase64));
        try
        {
            var subjects = Dsse.StatementSubjects(envelope.Payload, location);
            using var json = JsonDocument.Parse(envelope.Payload);
            var root = json.RootElement;
            var predicateType = Text(root, "predicateType") ?? "";
            var predicate = root.TryGetProperty("predicate", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            var evidence = new AttestationEvidence(location, predicateType, signed, subjects);
            if (predicate.ValueKind != JsonValueKind.Object) return evidence;
            if (predicateType == PromotionPredicateType) return evidence with { DestinationReference = Text(predicate, "dstRef") };
            var builder = Path(predicate, "runDetails", "builder") is { } b ? Text(b, "id") : null;
            var sources = new List<string>();
            if (Path(predicate, "buildDefinition") is { } definition)
            {
                if (definition.TryGetProperty("resolvedDependencies", out var deps) && deps.ValueKind == JsonValueKind.Array)
                    sources.AddRange(deps.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Object ? Text(d, "uri") : null).OfType<string>());
                if (Path(definition, "externalParameters", "workflow") is { } workflow && Text(workflow, "repository") is { } repository)
                    sources.Add(repository);
                if (Path(definition, "externalParameters") is { } external && Text(external, "repository") is { } direct)
                    sources.Add(direct);
            }
            return evidence with { BuilderId = builder, SourceRepositories = sources };
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return new AttestationEvidence(location, "", signed, []) { Unreadable = e.Message };
        }
    }

    private static JsonElement? Path(JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var next) || next.ValueKind != JsonValueKind.Object) return null;
            element = next;
        }
        return element;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static void WriteAnnotations(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, string>> annotations)
    {
        w.WriteStartObject("annotations");
        foreach (var (key, value) in annotations) w.WriteString(key, value);
        w.WriteEndObject();
    }
}
