using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Promoter.Oci;

namespace Promoter.Archives;

/// <summary>
/// A <c>docker save</c> tarball, read and verified (format: Docker's image tarball, moby
/// <c>image/tarexport</c>; upstream CIP's test-image archives are one example):
/// <list type="bullet">
/// <item><c>manifest.json</c>: a JSON array of <c>{"Config": entry, "RepoTags": [..]|null, "Layers": [entry, ..]}</c>;</item>
/// <item>the config entry: when named <c>&lt;64 hex&gt;.json</c> (or <c>blobs/sha256/&lt;hex&gt;</c>) its sha256 must equal that name;
///   its <c>rootfs.diff_ids</c> must list one digest per layer;</item>
/// <item>each layer entry: an uncompressed tar whose sha256 equals the diff_id at the same position.</item>
/// </list>
/// Nothing is extracted: entries are located once and later opened as slices of the archive file.
/// </summary>
public sealed partial class DockerArchive
{
    private readonly TarIndex _tar;

    private DockerArchive(TarIndex tar, IReadOnlyList<DockerArchiveImage> images)
    {
        _tar = tar;
        Images = images;
    }

    /// <summary>The archive file.</summary>
    public string Path => _tar.Path;

    /// <summary>The images of <c>manifest.json</c>, in its order (at least one).</summary>
    public IReadOnlyList<DockerArchiveImage> Images { get; }

    /// <summary>Reads <paramref name="path"/> and verifies every digest in it (config name, every layer's diff_id).</summary>
    /// <param name="path">A <c>docker save</c> tarball (uncompressed tar).</param>
    /// <exception cref="ImageArchiveException">
    /// The file is missing, not a tar, truncated; <c>manifest.json</c> or the config is missing or malformed; the
    /// config's sha256 differs from its name; the number of diff_ids differs from the number of layers; a layer is
    /// missing or its sha256 differs from its diff_id. An OCI image layout is refused, after its own verification
    /// (<see cref="OciLayoutArchive.Open"/>), so a layout with an unknown manifest media type says so.
    /// </exception>
    public static DockerArchive Open(string path)
    {
        var tar = TarIndex.Read(path);
        var manifestEntry = tar.Find("manifest.json");
        if (manifestEntry is null)
        {
            if (tar.Find("oci-layout") is not null)
            {
                // An OCI image layout: report what is wrong with it (an unknown media type, a bad blob) first.
                OciLayoutArchive.Open(path);
                throw new ImageArchiveException(path,
                    "is an OCI image layout (oci-layout, index.json), not a docker save archive; expected a manifest.json entry.");
            }
            throw new ImageArchiveException(path, "manifest.json is missing; expected a docker save archive with a manifest.json entry.");
        }
        var images = new List<DockerArchiveImage>();
        using (var manifest = ParseJson(path, "manifest.json", tar.ReadAll(manifestEntry)))
        {
            if (manifest.RootElement.ValueKind != JsonValueKind.Array || manifest.RootElement.GetArrayLength() == 0)
                throw new ImageArchiveException(path, "manifest.json: expected a non-empty JSON array of {Config, RepoTags, Layers} objects.");
            var index = 0;
            foreach (var item in manifest.RootElement.EnumerateArray())
                images.Add(ReadImage(tar, item, $"manifest.json[{index++}]"));
        }
        return new DockerArchive(tar, images);
    }

    /// <summary>Opens a layer tar of this archive for reading (a read-only slice of the archive file).</summary>
    /// <param name="layer">A layer of one of <see cref="Images"/>.</param>
    /// <exception cref="ImageArchiveException">The layer is not an entry of this archive.</exception>
    public Stream OpenLayer(DockerArchiveLayer layer)
    {
        var entry = _tar.Find(layer.Path) ?? throw new ImageArchiveException(Path, $"layer '{layer.Path}' is not in the archive.");
        return _tar.Open(entry);
    }

    private static DockerArchiveImage ReadImage(TarIndex tar, JsonElement item, string where)
    {
        var path = tar.Path;
        if (item.ValueKind != JsonValueKind.Object)
            throw new ImageArchiveException(path, $"{where}: expected an object with Config, RepoTags and Layers.");
        if (!item.TryGetProperty("Config", out var configName) || configName.ValueKind != JsonValueKind.String)
            throw new ImageArchiveException(path, $"{where}.Config: expected the entry name of the image config (a string).");
        var configPath = configName.GetString()!;

        var repoTags = new List<string>();
        if (item.TryGetProperty("RepoTags", out var tags) && tags.ValueKind != JsonValueKind.Null)
        {
            if (tags.ValueKind != JsonValueKind.Array || tags.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
                throw new ImageArchiveException(path, $"{where}.RepoTags: expected null or an array of strings.");
            repoTags.AddRange(tags.EnumerateArray().Select(t => t.GetString()!));
        }

        if (!item.TryGetProperty("Layers", out var layersJson) || layersJson.ValueKind != JsonValueKind.Array
            || layersJson.EnumerateArray().Any(l => l.ValueKind != JsonValueKind.String))
            throw new ImageArchiveException(path, $"{where}.Layers: expected an array of layer entry names.");
        var layerPaths = layersJson.EnumerateArray().Select(l => l.GetString()!).ToList();

        var configEntry = tar.Find(configPath)
            ?? throw new ImageArchiveException(path, $"{where}.Config: the image config '{configPath}' is missing from the archive.");
        var configBytes = tar.ReadAll(configEntry);
        var configDigest = Digest.Of(configBytes);
        if (ExpectedDigestFromName(configPath) is { } named && named != configDigest.Hex)
            throw new ImageArchiveException(path,
                $"image config '{configPath}' has sha256 {configDigest.Hex}; expected {named} (its name).");

        var (platform, diffIds) = ReadConfig(path, configPath, configBytes);
        if (diffIds.Count != layerPaths.Count)
            throw new ImageArchiveException(path,
                $"image config '{configPath}' lists {diffIds.Count} rootfs.diff_ids but {where}.Layers lists {layerPaths.Count} layers; expected one diff_id per layer.");

        var layers = new List<DockerArchiveLayer>();
        for (var i = 0; i < layerPaths.Count; i++)
        {
            var entry = tar.Find(layerPaths[i])
                ?? throw new ImageArchiveException(path, $"{where}.Layers[{i}]: layer '{layerPaths[i]}' is missing from the archive.");
            var actual = HashEntry(tar, entry, out var gzip);
            if (actual != diffIds[i])
                throw new ImageArchiveException(path,
                    $"layer '{layerPaths[i]}' has sha256 {actual.Value}; expected {diffIds[i].Value} (rootfs.diff_ids[{i}] of '{configPath}')"
                    + (gzip ? "; the layer is gzip-compressed, but docker save layers are uncompressed tars." : "."));
            layers.Add(new DockerArchiveLayer(entry.Name, diffIds[i], entry.Length));
        }
        return new DockerArchiveImage(configPath, configBytes, repoTags, layers, platform);
    }

    /// <summary>Parses the parts of an image config this project needs (OCI image-spec <c>config.md</c>).</summary>
    internal static (Platform Platform, List<Digest> DiffIds) ReadConfig(string path, string configPath, byte[] configBytes)
    {
        using var config = ParseJson(path, configPath, configBytes);
        var root = config.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new ImageArchiveException(path, $"image config '{configPath}': expected a JSON object.");
        string? Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var os = Text(root, "os")
            ?? throw new ImageArchiveException(path, $"image config '{configPath}': 'os' is missing; expected e.g. \"linux\".");
        var architecture = Text(root, "architecture")
            ?? throw new ImageArchiveException(path, $"image config '{configPath}': 'architecture' is missing; expected e.g. \"amd64\".");
        if (!root.TryGetProperty("rootfs", out var rootfs) || rootfs.ValueKind != JsonValueKind.Object
            || Text(rootfs, "type") != "layers"
            || !rootfs.TryGetProperty("diff_ids", out var ids) || ids.ValueKind != JsonValueKind.Array)
            throw new ImageArchiveException(path,
                $"image config '{configPath}': expected rootfs {{\"type\": \"layers\", \"diff_ids\": [..]}}.");
        var diffIds = new List<Digest>();
        var i = 0;
        foreach (var id in ids.EnumerateArray())
        {
            if (id.ValueKind != JsonValueKind.String || !Digest.TryParse(id.GetString(), out var digest))
                throw new ImageArchiveException(path,
                    $"image config '{configPath}': rootfs.diff_ids[{i}] is not a sha256 digest (expected sha256:<64 hex>).");
            diffIds.Add(digest);
            i++;
        }
        return (new Platform(architecture, os, Text(root, "variant")), diffIds);
    }

    internal static JsonDocument ParseJson(string path, string entryName, byte[] bytes)
    {
        try { return JsonDocument.Parse(bytes); }
        catch (JsonException e)
        {
            throw new ImageArchiveException(path, $"'{entryName}' is not valid JSON: {e.Message}", e);
        }
    }

    internal static Digest HashEntry(TarIndex tar, TarFileEntry entry, out bool gzip)
    {
        using var stream = tar.Open(entry);
        var head = new byte[2];
        var n = stream.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        gzip = n == 2 && head[0] == 0x1f && head[1] == 0x8b;
        stream.Position = 0;
        try { return Digest.FromHash(SHA256.HashData(stream)); }
        catch (EndOfStreamException e) { throw new ImageArchiveException(tar.Path, $"entry '{entry.Name}' is truncated: {e.Message}", e); }
    }

    private static string? ExpectedDigestFromName(string configPath)
    {
        var match = HexName().Match(TarIndex.Normalise(configPath));
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("^(?:blobs/sha256/)?([0-9a-f]{64})(?:\\.json)?$")]
    private static partial Regex HexName();
}
