using System.Text.Json;
using System.Text.RegularExpressions;
using Promoter.Oci;

namespace Promoter.Archives;

/// <summary>
/// An OCI image-layout tarball (OCI image-spec <c>image-layout.md</c>), read and verified: <c>oci-layout</c>
/// with <c>imageLayoutVersion</c>, <c>index.json</c>, and content-addressed blobs under
/// <c>blobs/sha256/&lt;hex&gt;</c>. Every blob's sha256 is checked against its name; every manifest named by
/// <c>index.json</c> (and, for nested indexes, by its children) must be present with the declared size and a known
/// media type, and so must its config and layers.
/// </summary>
public sealed partial class OciLayoutArchive
{
    /// <summary>The annotation holding a manifest's reference name in <c>index.json</c>.</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    private readonly TarIndex _tar;
    private readonly Dictionary<Digest, TarFileEntry> _blobs;

    private OciLayoutArchive(TarIndex tar, Dictionary<Digest, TarFileEntry> blobs, byte[] indexBytes, IReadOnlyList<OciLayoutManifest> manifests)
    {
        _tar = tar;
        _blobs = blobs;
        IndexBytes = indexBytes;
        Manifests = manifests;
    }

    /// <summary>The archive file.</summary>
    public string Path => _tar.Path;

    /// <summary>The bytes of <c>index.json</c>, as stored.</summary>
    public byte[] IndexBytes { get; }

    /// <summary>The manifests <c>index.json</c> names, in its order.</summary>
    public IReadOnlyList<OciLayoutManifest> Manifests { get; }

    /// <summary>The digests of every blob in <c>blobs/sha256/</c> (all verified).</summary>
    public IReadOnlyCollection<Digest> BlobDigests => _blobs.Keys;

    /// <summary>Reads <paramref name="path"/> and verifies it.</summary>
    /// <param name="path">An uncompressed tar holding an OCI image layout at its root.</param>
    /// <exception cref="ImageArchiveException">
    /// Missing file, not a tar, truncated; <c>oci-layout</c> or <c>index.json</c> missing or malformed; a blob whose
    /// sha256 differs from its name; a referenced manifest/config/layer missing or of the wrong size; an unknown
    /// manifest media type.
    /// </exception>
    public static OciLayoutArchive Open(string path)
    {
        var tar = TarIndex.Read(path);
        var layoutEntry = tar.Find("oci-layout")
            ?? throw new ImageArchiveException(path, "oci-layout is missing; expected an OCI image layout with an oci-layout file.");
        using (var layout = DockerArchive.ParseJson(path, "oci-layout", tar.ReadAll(layoutEntry)))
        {
            if (layout.RootElement.ValueKind != JsonValueKind.Object
                || !layout.RootElement.TryGetProperty("imageLayoutVersion", out var version) || version.ValueKind != JsonValueKind.String)
                throw new ImageArchiveException(path, "oci-layout: expected {\"imageLayoutVersion\": \"1.0.0\"}.");
        }

        var blobs = new Dictionary<Digest, TarFileEntry>();
        foreach (var entry in tar.Files.Where(f => f.Name.StartsWith("blobs/", StringComparison.Ordinal)))
        {
            var match = BlobName().Match(entry.Name);
            if (!match.Success)
                throw new ImageArchiveException(path, $"blob '{entry.Name}': expected blobs/sha256/<64 lower-case hex>.");
            var resolved = tar.Find(entry.Name)!;
            var named = Digest.Parse(Digest.Sha256Prefix + match.Groups[1].Value);
            var actual = DockerArchive.HashEntry(tar, resolved, out _);
            if (actual != named)
                throw new ImageArchiveException(path, $"blob '{entry.Name}' has sha256 {actual.Hex}; expected {named.Hex} (its name).");
            blobs[named] = resolved;
        }

        var indexEntry = tar.Find("index.json")
            ?? throw new ImageArchiveException(path, "index.json is missing; expected an OCI image layout with an index.json file.");
        var indexBytes = tar.ReadAll(indexEntry);
        var archive = new OciLayoutArchive(tar, blobs, indexBytes, []);
        var index = archive.ParseManifest(indexBytes, MediaTypes.OciIndex, "index.json");
        if (!index.IsIndex)
            throw new ImageArchiveException(path, $"index.json has media type '{index.MediaType}'; expected {MediaTypes.OciIndex}.");
        var refNames = ReadRefNames(path, indexBytes);
        var manifests = new List<OciLayoutManifest>();
        for (var i = 0; i < index.Manifests.Count; i++)
        {
            var descriptor = index.Manifests[i];
            manifests.Add(new OciLayoutManifest(descriptor, refNames[i], archive.Resolve(descriptor, $"index.json manifests[{i}]", 0)));
        }
        return new OciLayoutArchive(tar, blobs, indexBytes, manifests);
    }

    /// <summary>True when the layout holds a blob with <paramref name="digest"/>.</summary>
    public bool HasBlob(Digest digest) => _blobs.ContainsKey(digest);

    /// <summary>Opens the blob <paramref name="digest"/> (a read-only slice of the archive file).</summary>
    /// <exception cref="ImageArchiveException">No such blob in the layout.</exception>
    public Stream OpenBlob(Digest digest) =>
        _blobs.TryGetValue(digest, out var entry)
            ? _tar.Open(entry)
            : throw new ImageArchiveException(Path, $"blob {digest} is not in blobs/sha256/.");

    /// <summary>Reads the whole blob <paramref name="digest"/> into memory.</summary>
    /// <exception cref="ImageArchiveException">No such blob in the layout.</exception>
    public byte[] ReadBlob(Digest digest) =>
        _blobs.TryGetValue(digest, out var entry)
            ? _tar.ReadAll(entry)
            : throw new ImageArchiveException(Path, $"blob {digest} is not in blobs/sha256/.");

    private ManifestDocument Resolve(Descriptor descriptor, string where, int depth)
    {
        if (!MediaTypes.IsKnownManifest(descriptor.MediaType))
            throw new ImageArchiveException(Path,
                $"{where}: unknown manifest media type '{descriptor.MediaType}'; expected one of {string.Join(", ", MediaTypes.Manifests)}.");
        if (depth > 4)
            throw new ImageArchiveException(Path, $"{where}: indexes nested more than 4 deep.");
        var bytes = ReadReferenced(descriptor, where);
        var document = ParseManifest(bytes, descriptor.MediaType, $"{where} ({descriptor.Digest})");
        if (document.MediaType != descriptor.MediaType)
            throw new ImageArchiveException(Path,
                $"{where}: the descriptor says media type '{descriptor.MediaType}' but manifest {descriptor.Digest} says '{document.MediaType}'.");
        if (document.IsIndex)
        {
            for (var i = 0; i < document.Manifests.Count; i++)
                Resolve(document.Manifests[i], $"{where} -> manifests[{i}]", depth + 1);
        }
        else
        {
            var blobs = document.Blobs.ToList();
            for (var i = 0; i < blobs.Count; i++)
                CheckPresent(blobs[i], $"{where} -> {(i == 0 ? "config" : $"layers[{i - 1}]")}");
        }
        return document;
    }

    private byte[] ReadReferenced(Descriptor descriptor, string where)
    {
        var digest = CheckPresent(descriptor, where);
        return _tar.ReadAll(_blobs[digest]);
    }

    private Digest CheckPresent(Descriptor descriptor, string where)
    {
        var digest = descriptor.ParsedDigest;
        if (!_blobs.TryGetValue(digest, out var entry))
            throw new ImageArchiveException(Path, $"{where}: blob {digest} is missing from blobs/sha256/.");
        if (entry.Length != descriptor.Size)
            throw new ImageArchiveException(Path, $"{where}: blob {digest} is {entry.Length} bytes; expected {descriptor.Size} (the descriptor's size).");
        return digest;
    }

    private ManifestDocument ParseManifest(byte[] bytes, string mediaType, string where)
    {
        try { return ManifestDocument.Parse(bytes, mediaType, where); }
        catch (FormatException e) { throw new ImageArchiveException(Path, e.Message, e); }
    }

    private static List<string?> ReadRefNames(string path, byte[] indexBytes)
    {
        using var json = DockerArchive.ParseJson(path, "index.json", indexBytes);
        return json.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => m.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object
                         && a.TryGetProperty(RefNameAnnotation, out var r) && r.ValueKind == JsonValueKind.String
                ? r.GetString() : null)
            .ToList();
    }

    [GeneratedRegex("^blobs/sha256/([0-9a-f]{64})$")]
    private static partial Regex BlobName();
}
