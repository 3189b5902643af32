using System.Text;
using System.Text.Json;
using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Attachments;

/// <summary>
/// Reads and writes the manifests attachments live in: cosign's layered manifests (sigstore/cosign
/// <c>specs/SIGNATURE_SPEC.md</c> "OCI Image Manifest V1": one manifest per signed object, one layer per signature or
/// attestation, the signature as the layer annotation <c>dev.cosignproject.cosign/signature</c>) and referrers indexes
/// (OCI distribution spec 1.1 "Listing Referrers" / "Referrers Tag Schema"). Merges are unions that keep the
/// destination's entries first and in order; nothing is dropped (see <c>Attachments/README.md</c>).
/// </summary>
public static class AttachmentManifests
{
    /// <summary>The media type of a cosign simple-signing payload layer.</summary>
    public const string SimpleSigningMediaType = "application/vnd.dev.cosign.simplesigning.v1+json";

    /// <summary>The layer annotation holding the base64 signature (SIGNATURE_SPEC.md "Signature").</summary>
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";

    /// <summary>The layers of an image manifest (a <c>.sig</c> or <c>.att</c> manifest).</summary>
    /// <exception cref="FormatException">Not an image manifest, or a layer without digest/size.</exception>
    public static IReadOnlyList<AttachmentLayer> ReadLayers(ManifestContent manifest, string source)
    {
        using var json = Parse(manifest, source);
        if (!json.RootElement.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
            throw new FormatException($"{source}: an attachment manifest needs a 'layers' array.");
        return layers.EnumerateArray().Select((layer, i) =>
        {
            var (digest, size, mediaType) = ReadDescriptor(layer, source, $"layers[{i}]");
            var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
            if (layer.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object)
                foreach (var p in a.EnumerateObject()) annotations[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            return new AttachmentLayer(layer.GetRawText(), digest, size, mediaType, annotations);
        }).ToList();
    }

    /// <summary>The entries of a referrers index (from the referrers API or a <c>sha256-&lt;hex&gt;</c> tag).</summary>
    /// <exception cref="FormatException">Not an index, or an entry without digest/size.</exception>
    public static IReadOnlyList<ReferrerEntry> ReadIndex(ManifestContent index, string source)
    {
        using var json = Parse(index, source);
        if (!json.RootElement.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
            throw new FormatException($"{source}: a referrers index needs a 'manifests' array.");
        return manifests.EnumerateArray().Select((entry, i) =>
        {
            var (digest, size, mediaType) = ReadDescriptor(entry, source, $"manifests[{i}]");
            return new ReferrerEntry(entry.GetRawText(), digest, size, mediaType);
        }).ToList();
    }

    /// <summary>
    /// The union of layer lists: <paramref name="first"/> in order, then each layer of the others whose
    /// <see cref="AttachmentLayer.Key"/> is not yet in.
    /// </summary>
    public static IReadOnlyList<AttachmentLayer> Union(IReadOnlyList<AttachmentLayer> first, params IReadOnlyList<AttachmentLayer>[] others)
    {
        var seen = new HashSet<string>(first.Select(l => l.Key), StringComparer.Ordinal);
        var result = first.ToList();
        foreach (var list in others)
            foreach (var layer in list)
                if (seen.Add(layer.Key)) result.Add(layer);
        return result;
    }

    /// <summary>The union of referrer entries by digest: <paramref name="first"/> in order, then the new ones of <paramref name="second"/>.</summary>
    public static IReadOnlyList<ReferrerEntry> Union(IReadOnlyList<ReferrerEntry> first, IReadOnlyList<ReferrerEntry> second)
    {
        var seen = new HashSet<Digest>(first.Select(e => e.Digest));
        return first.Concat(second.Where(e => seen.Add(e.Digest))).ToList();
    }

    /// <summary>
    /// Writes a cosign-style attachment manifest: an OCI image manifest whose config is an OCI image config listing the
    /// layer digests as <c>rootfs.diff_ids</c> (as cosign's own, which builds it with go-containerregistry's
    /// <c>mutate</c> on <c>empty.Image</c>), and whose layers are the given descriptors, byte for byte.
    /// </summary>
    public static BuiltManifest BuildLayered(IReadOnlyList<AttachmentLayer> layers)
    {
        var config = Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("architecture", "");
            w.WriteString("created", "0001-01-01T00:00:00Z");
            w.WriteStartArray("history");
            foreach (var _ in layers) { w.WriteStartObject(); w.WriteString("created", "0001-01-01T00:00:00Z"); w.WriteEndObject(); }
            w.WriteEndArray();
            w.WriteString("os", "");
            w.WriteStartObject("rootfs");
            w.WriteString("type", "layers");
            w.WriteStartArray("diff_ids");
            foreach (var layer in layers) w.WriteStringValue(layer.Digest.Value);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("config");
            w.WriteEndObject();
            w.WriteEndObject();
        });
        var configDigest = Digest.Of(config);
        var manifest = Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", MediaTypes.OciManifest);
            w.WriteStartObject("config");
            w.WriteString("mediaType", MediaTypes.OciConfig);
            w.WriteNumber("size", config.Length);
            w.WriteString("digest", configDigest.Value);
            w.WriteEndObject();
            w.WriteStartArray("layers");
            foreach (var layer in layers) w.WriteRawValue(layer.Json, skipInputValidation: false);
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return new BuiltManifest(new ManifestContent(manifest, MediaTypes.OciManifest, Digest.Of(manifest)), config, configDigest);
    }

    /// <summary>Writes a referrers index (OCI image index, entries byte for byte) as the referrers tag schema stores it.</summary>
    public static BuiltManifest BuildIndex(IReadOnlyList<ReferrerEntry> entries)
    {
        var index = Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", MediaTypes.OciIndex);
            w.WriteStartArray("manifests");
            foreach (var entry in entries) w.WriteRawValue(entry.Json, skipInputValidation: false);
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return new BuiltManifest(new ManifestContent(index, MediaTypes.OciIndex, Digest.Of(index)), [], null);
    }

    /// <summary>A layer descriptor for a blob, with annotations, as cosign writes one.</summary>
    public static AttachmentLayer Layer(string mediaType, byte[] blob, IReadOnlyDictionary<string, string> annotations)
    {
        var digest = Digest.Of(blob);
        var json = Encoding.UTF8.GetString(Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("mediaType", mediaType);
            w.WriteNumber("size", blob.Length);
            w.WriteString("digest", digest.Value);
            w.WriteStartObject("annotations");
            foreach (var (key, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal)) w.WriteString(key, value);
            w.WriteEndObject();
            w.WriteEndObject();
        }));
        return new AttachmentLayer(json, digest, blob.Length, mediaType, annotations);
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(writer);
        return buffer.ToArray();
    }

    private static JsonDocument Parse(ManifestContent content, string source)
    {
        try
        {
            var json = JsonDocument.Parse(content.Bytes);
            if (json.RootElement.ValueKind == JsonValueKind.Object) return json;
            json.Dispose();
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON ({e.Message}).");
        }
        throw new FormatException($"{source}: not a JSON object.");
    }

    private static (Digest Digest, long Size, string MediaType) ReadDescriptor(JsonElement element, string source, string field)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: {field} is not an object.");
        var digestText = element.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (!Digest.TryParse(digestText, out var digest)) throw new FormatException($"{source}: {field}.digest '{digestText}' is not a sha256 digest.");
        if (!element.TryGetProperty("size", out var s) || !s.TryGetInt64(out var size) || size < 0)
            throw new FormatException($"{source}: {field}.size is missing or not a non-negative integer.");
        var mediaType = element.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        return (digest, size, mediaType);
    }
}
