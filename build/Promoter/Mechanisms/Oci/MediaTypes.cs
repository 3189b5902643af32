namespace Promoter.Oci;

/// <summary>
/// Media types of manifests, indexes, configs and layers, from the OCI image spec (image-spec
/// <c>media-types.md</c>) and Docker's image manifest v2 schema 2.
/// </summary>
public static class MediaTypes
{
    /// <summary>Docker image manifest v2, schema 2.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    /// <summary>Docker manifest list (a multi-platform image).</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    /// <summary>Docker image config.</summary>
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    /// <summary>Docker layer, gzip-compressed tar.</summary>
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    /// <summary>Docker layer, uncompressed tar (allowed by schema 2, rarely used).</summary>
    public const string DockerLayerTar = "application/vnd.docker.image.rootfs.diff.tar";
    /// <summary>Docker schema 1 manifest (legacy; recognised for listing only).</summary>
    public const string DockerManifestV1 = "application/vnd.docker.distribution.manifest.v1+json";
    /// <summary>Docker signed schema 1 manifest (legacy; recognised for listing only).</summary>
    public const string DockerManifestV1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /// <summary>OCI image manifest.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    /// <summary>OCI image index.</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    /// <summary>OCI image config.</summary>
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    /// <summary>OCI layer, uncompressed tar.</summary>
    public const string OciLayerTar = "application/vnd.oci.image.layer.v1.tar";
    /// <summary>OCI layer, gzip-compressed tar.</summary>
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    /// <summary>OCI layer, zstd-compressed tar.</summary>
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";

    /// <summary>The manifest media types this project reads and writes (the Accept header of manifest requests).</summary>
    public static readonly IReadOnlyList<string> Manifests = [OciIndex, DockerManifestList, OciManifest, DockerManifest];

    /// <summary>True for a manifest list or an OCI index.</summary>
    public static bool IsIndex(string? mediaType) => mediaType is DockerManifestList or OciIndex;

    /// <summary>True for a single-image manifest (Docker schema 2 or OCI).</summary>
    public static bool IsImageManifest(string? mediaType) => mediaType is DockerManifest or OciManifest;

    /// <summary>True for any manifest media type this project can move.</summary>
    public static bool IsKnownManifest(string? mediaType) => IsIndex(mediaType) || IsImageManifest(mediaType);
}
