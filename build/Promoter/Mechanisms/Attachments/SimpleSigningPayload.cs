using System.Text.Json;
using Promoter.Oci;

namespace Promoter.Attachments;

/// <summary>
/// The simple-signing payload cosign signs (sigstore/cosign <c>specs/SIGNATURE_SPEC.md</c> "Payloads" / "Simple
/// Signing", after containers/image <c>containers-signature.5.md</c> "JSON Data Format"):
/// <c>{"critical":{"identity":{"docker-reference":R},"image":{"docker-manifest-digest":D},"type":"cosign container image
/// signature"},"optional":{...}|null}</c>. The payload is stored as a blob (media type
/// <see cref="AttachmentManifests.SimpleSigningMediaType"/>) and the signature covers its exact bytes.
/// </summary>
/// <param name="DockerReference">The repository the signature was made for, e.g. <c>registry.k8s.io/pause</c> (the spec
/// says verifiers ignore it; this project writes the destination repository and checks it only when asked).</param>
/// <param name="ManifestDigest">The digest of the signed manifest.</param>
/// <param name="Optional">Optional claims (strings), or null.</param>
public sealed record SimpleSigningPayload(string DockerReference, Digest ManifestDigest, IReadOnlyDictionary<string, string>? Optional = null)
{
    /// <summary>The <c>critical.type</c> of cosign signatures (SIGNATURE_SPEC.md "Simple Signing").</summary>
    public const string CosignType = "cosign container image signature";

    /// <summary>The payload bytes: the fields in cosign's order, compact JSON.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("critical");
            w.WriteStartObject("identity");
            w.WriteString("docker-reference", DockerReference);
            w.WriteEndObject();
            w.WriteStartObject("image");
            w.WriteString("docker-manifest-digest", ManifestDigest.Value);
            w.WriteEndObject();
            w.WriteString("type", CosignType);
            w.WriteEndObject();
            if (Optional is null) w.WriteNull("optional");
            else
            {
                w.WriteStartObject("optional");
                foreach (var (key, value) in Optional.OrderBy(o => o.Key, StringComparer.Ordinal)) w.WriteString(key, value);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a payload. <c>critical.image.docker-manifest-digest</c> is matched case-insensitively
    /// (the spec's own example writes <c>Docker-manifest-digest</c>; containers/image's Go decoder folds case).
    /// </summary>
    /// <exception cref="FormatException">Not JSON, or <c>critical.type</c>, the identity or the digest is missing or wrong.</exception>
    public static SimpleSigningPayload Parse(ReadOnlySpan<byte> bytes, string source)
    {
        try
        {
            using var json = JsonDocument.Parse(bytes.ToArray());
            var root = json.RootElement;
            var critical = Child(root, "critical", source);
            var type = Child(critical, "type", source);
            if (type.ValueKind != JsonValueKind.String || type.GetString() != CosignType)
                throw new FormatException($"{source}: critical.type is not '{CosignType}'.");
            var reference = Child(Child(critical, "identity", source), "docker-reference", source).GetString() ?? "";
            var digestText = Child(Child(critical, "image", source), "docker-manifest-digest", source).GetString();
            if (!Digest.TryParse(digestText, out var digest))
                throw new FormatException($"{source}: critical.image.docker-manifest-digest '{digestText}' is not a sha256 digest.");
            return new SimpleSigningPayload(reference, digest);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: the payload is not JSON ({e.Message}).");
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"{source}: a payload field has the wrong type ({e.Message}).");
        }
    }

    private static JsonElement Child(JsonElement parent, string name, string source)
    {
        if (parent.ValueKind == JsonValueKind.Object)
            foreach (var property in parent.EnumerateObject())
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        throw new FormatException($"{source}: the payload has no '{name}'.");
    }
}
