using System.Text.Json;
using Promoter.Oci;
using Promoter.Archives;

namespace Promoter.Images;

/// <summary>
/// An image ready for the daemonless <c>oci</c> engine to push blob by blob: the manifest bytes, their media type
/// and digest, and the config and layer blobs.
/// <para>
/// Built from a <c>docker save</c> archive, the manifest is a <b>Docker image manifest v2 schema 2</b>
/// (<c>application/vnd.docker.distribution.manifest.v2+json</c>) whose config is
/// <c>application/vnd.docker.container.image.v1+json</c> (the config bytes of the archive, unchanged) and whose layers
/// are <b>uncompressed</b> tars, <c>application/vnd.docker.image.rootfs.diff.tar</c>, so each layer digest is the
/// layer's diff_id. Nothing is compressed or timestamped, so the manifest bytes (and hence the manifest digest) are a
/// pure function of the archive: the same archive gives the same digest on any machine and with any tool version.
/// Schema 2 rather than OCI because the upstream flow (<c>docker push</c>, <c>docker manifest</c>) produces Docker
/// media types and every registry and Docker version accepts them; uncompressed layers are allowed by schema 2.
/// </para>
/// <para>
/// The bytes are serialised with a fixed field order and no insignificant whitespace:
/// <c>{"schemaVersion":2,"mediaType":M,"config":{"mediaType":..,"size":..,"digest":..},"layers":[{"mediaType":..,"size":..,"digest":..},..]}</c>
/// (the field order of Docker's distribution package).
/// </para>
/// </summary>
public sealed class PushableImage
{
    private PushableImage(byte[] manifestBytes, PushableBlob config, IReadOnlyList<PushableBlob> layers, Platform platform, string source,
        string manifestMediaType = MediaTypes.DockerManifest)
    {
        ManifestMediaType = manifestMediaType;
        ManifestBytes = manifestBytes;
        ManifestDigest = Digest.Of(manifestBytes);
        Config = config;
        Layers = layers;
        Platform = platform;
        Source = source;
    }

    /// <summary>The manifest media type: <see cref="MediaTypes.DockerManifest"/> for a <c>docker save</c> archive (the
    /// manifest is written here), the stored manifest's own type for an OCI image layout (its bytes are pushed as stored).</summary>
    public string ManifestMediaType { get; }

    /// <summary>The exact manifest bytes to push (UTF-8 JSON).</summary>
    public byte[] ManifestBytes { get; }

    /// <summary>The sha256 digest of <see cref="ManifestBytes"/>.</summary>
    public Digest ManifestDigest { get; }

    /// <summary>The descriptor of the manifest (media type, digest, size), for a manifest list entry.</summary>
    public Descriptor ManifestDescriptor => new(ManifestMediaType, ManifestDigest.Value, ManifestBytes.Length);

    /// <summary>The config blob.</summary>
    public PushableBlob Config { get; }

    /// <summary>The layer blobs, base first.</summary>
    public IReadOnlyList<PushableBlob> Layers { get; }

    /// <summary>Every blob to push before the manifest: the config, then the layers, each digest once.</summary>
    public IEnumerable<PushableBlob> Blobs => Layers.Prepend(Config).DistinctBy(b => b.Digest);

    /// <summary>The platform the image config declares.</summary>
    public Platform Platform { get; }

    /// <summary>Where the image came from (archive path and image index), for messages.</summary>
    public string Source { get; }

    /// <summary>Builds the pushable image of image <paramref name="imageIndex"/> of <paramref name="archive"/>.</summary>
    /// <param name="archive">A verified docker save archive.</param>
    /// <param name="imageIndex">Position in the archive's <c>manifest.json</c> (0 for single-image archives).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="imageIndex"/> is not an image of the archive.</exception>
    public static PushableImage FromDockerArchive(DockerArchive archive, int imageIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(imageIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(imageIndex, archive.Images.Count);
        var image = archive.Images[imageIndex];
        var configBytes = image.ConfigBytes;
        var config = new PushableBlob(
            new Descriptor(MediaTypes.DockerConfig, image.ConfigDigest.Value, configBytes.Length),
            () => new MemoryStream(configBytes, writable: false));
        var layers = image.Layers
            .Select(l => new PushableBlob(new Descriptor(MediaTypes.DockerLayerTar, l.DiffId.Value, l.Size), () => archive.OpenLayer(l)))
            .ToList();
        return new PushableImage(WriteManifest(config.Descriptor, layers.Select(l => l.Descriptor)), config, layers,
            image.Platform, $"{archive.Path}#{imageIndex}");
    }

    /// <summary>Opens and verifies <paramref name="archivePath"/>, then builds the pushable image of its first image.</summary>
    /// <exception cref="ImageArchiveException">The archive is missing, corrupt or fails verification.</exception>
    public static PushableImage FromDockerArchive(string archivePath) => FromDockerArchive(DockerArchive.Open(archivePath));

    /// <summary>
    /// The pushable image of an OCI image layout (OCI image-spec <c>image-layout.md</c>) whose <c>index.json</c> names
    /// exactly one image manifest: the stored manifest bytes are pushed unchanged (so the digest is the layout's own), with
    /// the config and layers as stored (media types kept, compressed layers stay compressed).
    /// </summary>
    /// <param name="layout">A verified layout.</param>
    /// <exception cref="ImageArchiveException"><c>index.json</c> names no manifest, more than one, or an index; or the config is malformed.</exception>
    public static PushableImage FromOciLayout(OciLayoutArchive layout)
    {
        if (layout.Manifests.Count != 1)
            throw new ImageArchiveException(layout.Path,
                $"index.json names {layout.Manifests.Count} manifests; expected exactly one image manifest (one image per archive).");
        var entry = layout.Manifests[0];
        if (entry.Document.IsIndex || entry.Document.Config is null)
            throw new ImageArchiveException(layout.Path,
                $"index.json names the index {entry.Descriptor.Digest}; expected one image manifest (push multi-platform images as one archive per platform and a manifest list).");
        var configDescriptor = entry.Document.Config;
        var configBytes = layout.ReadBlob(configDescriptor.ParsedDigest);
        var (platform, _) = DockerArchive.ReadConfig(layout.Path, $"blobs/sha256/{configDescriptor.ParsedDigest.Hex}", configBytes);
        var config = new PushableBlob(configDescriptor, () => new MemoryStream(configBytes, writable: false));
        var layers = entry.Document.Layers.Select(l => new PushableBlob(l, () => layout.OpenBlob(l.ParsedDigest))).ToList();
        return new PushableImage(layout.ReadBlob(entry.Descriptor.ParsedDigest), config, layers, platform, $"{layout.Path}#{entry.Descriptor.Digest}",
            entry.Descriptor.MediaType);
    }

    /// <summary>
    /// Opens and verifies an image archive of either kind - a <c>docker save</c> tarball or an OCI image-layout tarball
    /// (told apart by its <c>oci-layout</c> entry) - and builds its pushable image.
    /// </summary>
    /// <exception cref="ImageArchiveException">The archive is missing, corrupt or fails verification.</exception>
    public static PushableImage FromArchive(string archivePath)
    {
        var tar = TarIndex.Read(archivePath);
        return tar.Find("oci-layout") is not null && tar.Find("manifest.json") is null
            ? FromOciLayout(OciLayoutArchive.Open(archivePath))
            : FromDockerArchive(archivePath);
    }

    internal static byte[] WriteManifest(Descriptor config, IEnumerable<Descriptor> layers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, CanonicalJson.Options))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.DockerManifest);
            json.WritePropertyName("config");
            WriteDescriptor(json, config);
            json.WriteStartArray("layers");
            foreach (var layer in layers) WriteDescriptor(json, layer);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    internal static void WriteDescriptor(Utf8JsonWriter json, Descriptor descriptor)
    {
        json.WriteStartObject();
        json.WriteString("mediaType", descriptor.MediaType);
        json.WriteNumber("size", descriptor.Size);
        json.WriteString("digest", descriptor.Digest);
        if (descriptor.Platform is { } platform)
        {
            json.WriteStartObject("platform");
            json.WriteString("architecture", platform.Architecture);
            json.WriteString("os", platform.Os);
            if (platform.Variant is not null) json.WriteString("variant", platform.Variant);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
