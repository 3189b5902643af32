using System.Text.Json;

namespace Promoter.Oci;

/// <summary>
/// The parts of a manifest or index this project needs, read from its exact bytes (which are never
/// re-serialised when moved). Covers Docker schema 2 manifest and manifest list, OCI manifest and index.
/// </summary>
public sealed class ManifestDocument
{
    private ManifestDocument(string mediaType, Descriptor? config, IReadOnlyList<Descriptor> layers, IReadOnlyList<Descriptor> manifests)
    {
        MediaType = mediaType;
        Config = config;
        Layers = layers;
        Manifests = manifests;
    }

    /// <summary>The media type (from the document's <c>mediaType</c> field, else the transport's).</summary>
    public string MediaType { get; }

    /// <summary>The config descriptor of an image manifest; null for an index.</summary>
    public Descriptor? Config { get; }

    /// <summary>The layer descriptors of an image manifest; empty for an index.</summary>
    public IReadOnlyList<Descriptor> Layers { get; }

    /// <summary>The child manifests of an index; empty for an image manifest.</summary>
    public IReadOnlyList<Descriptor> Manifests { get; }

    /// <summary>True for a manifest list or OCI index.</summary>
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>Every blob an image manifest references: the config, then the layers.</summary>
    public IEnumerable<Descriptor> Blobs => Config is null ? Layers : Layers.Prepend(Config);

    /// <summary>Parses manifest bytes.</summary>
    /// <param name="bytes">The manifest exactly as stored.</param>
    /// <param name="transportMediaType">The Content-Type it came with, used when the document has no <c>mediaType</c>.</param>
    /// <param name="source">Names the manifest in error messages (a reference or file).</param>
    /// <exception cref="FormatException">Not JSON, an unknown media type, or a descriptor without digest/size.</exception>
    public static ManifestDocument Parse(ReadOnlySpan<byte> bytes, string? transportMediaType, string source)
    {
        JsonDocument json;
        try { json = JsonDocument.Parse(bytes.ToArray()); }
        catch (JsonException e) { throw new FormatException($"{source}: the manifest is not valid JSON ({e.Message})."); }

        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new FormatException($"{source}: the manifest is not a JSON object.");
            var mediaType = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String
                ? mt.GetString()! : transportMediaType;
            if (mediaType is null && root.TryGetProperty("manifests", out _)) mediaType = MediaTypes.OciIndex;
            if (mediaType is null && root.TryGetProperty("config", out _)) mediaType = MediaTypes.OciManifest;
            if (!MediaTypes.IsKnownManifest(mediaType))
                throw new FormatException(
                    $"{source}: unknown manifest media type '{mediaType}'; expected one of {string.Join(", ", MediaTypes.Manifests)}.");

            if (MediaTypes.IsIndex(mediaType))
                return new ManifestDocument(mediaType!, null, [], ReadList(root, "manifests", source));

            if (!root.TryGetProperty("config", out var config))
                throw new FormatException($"{source}: the image manifest has no config descriptor.");
            return new ManifestDocument(mediaType!, ReadDescriptor(config, source, "config"), ReadList(root, "layers", source), []);
        }
    }

    private static List<Descriptor> ReadList(JsonElement root, string field, string source)
    {
        if (!root.TryGetProperty(field, out var list) || list.ValueKind != JsonValueKind.Array)
            throw new FormatException($"{source}: the manifest has no '{field}' array.");
        return list.EnumerateArray().Select((e, i) => ReadDescriptor(e, source, $"{field}[{i}]")).ToList();
    }

    private static Descriptor ReadDescriptor(JsonElement element, string source, string field)
    {
        string Text(string name) =>
            element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
                : throw new FormatException($"{source}: {field}.{name} is missing or not a string.");
        var digest = Text("digest");
        if (!Digest.TryParse(digest, out _))
            throw new FormatException($"{source}: {field}.digest '{digest}' is not a sha256 digest.");
        if (!element.TryGetProperty("size", out var size) || !size.TryGetInt64(out var length) || length < 0)
            throw new FormatException($"{source}: {field}.size is missing or not a non-negative integer.");
        Platform? platform = null;
        if (element.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            platform = new Platform(
                p.TryGetProperty("architecture", out var a) ? a.GetString() ?? "" : "",
                p.TryGetProperty("os", out var o) ? o.GetString() ?? "" : "",
                p.TryGetProperty("variant", out var v) ? v.GetString() : null);
        }
        return new Descriptor(Text("mediaType"), digest, length, platform);
    }
}
