using System.Text;
using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Tests.Support;

/// <summary>A small image pushed by <see cref="TestImages"/>: its manifest bytes and digest, and its blobs.</summary>
public sealed record PushedImage(byte[] Manifest, Digest Digest, string MediaType, IReadOnlyList<(Digest Digest, byte[] Bytes)> Blobs);

/// <summary>Builds and pushes tiny images (a JSON config and one layer of given bytes) through the real registry API.</summary>
public static class TestImages
{
    /// <summary>Pushes an OCI image manifest whose layer holds <paramref name="layerText"/>; tags it when <paramref name="tag"/> is given.</summary>
    public static async Task<PushedImage> PushAsync(RegistryClient client, string repository, string? tag, string layerText,
        string architecture = "amd64")
    {
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"{{{architecture}}}","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var layer = Encoding.UTF8.GetBytes(layerText);
        var configDigest = Digest.Of(config);
        var layerDigest = Digest.Of(layer);
        await client.UploadBlobAsync(repository, configDigest, config);
        await client.UploadBlobAsync(repository, layerDigest, layer);
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
             "config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{configDigest}}","size":{{config.Length}}},
             "layers":[{"mediaType":"{{MediaTypes.OciLayerTar}}","digest":"{{layerDigest}}","size":{{layer.Length}}}]}
            """);
        var digest = Digest.Of(manifest);
        var pushed = await client.PutManifestAsync(repository, tag ?? digest.Value, manifest, MediaTypes.OciManifest);
        return new PushedImage(manifest, pushed, MediaTypes.OciManifest, [(configDigest, config), (layerDigest, layer)]);
    }

    /// <summary>Pushes an OCI index over <paramref name="children"/> (already in the repository) under <paramref name="tag"/>.</summary>
    public static async Task<(byte[] Bytes, Digest Digest)> PushIndexAsync(RegistryClient client, string repository, string tag,
        params PushedImage[] children)
    {
        var entries = string.Join(",", children.Select((c, i) =>
            $$$"""{"mediaType":"{{{c.MediaType}}}","digest":"{{{c.Digest}}}","size":{{{c.Manifest.Length}}},"platform":{"architecture":"arch{{{i}}}","os":"linux"}}"""));
        var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{{entries}}]}""");
        var digest = await client.PutManifestAsync(repository, tag, index, MediaTypes.OciIndex);
        return (index, digest);
    }

    /// <summary>The file where distribution's filesystem driver keeps the bytes of blob <paramref name="digest"/>.</summary>
    public static string BlobDataPath(TestRegistry registry, Digest digest) =>
        Path.Combine(registry.StorageRoot, "docker", "registry", "v2", "blobs", "sha256", digest.Hex[..2], digest.Hex, "data");
}
