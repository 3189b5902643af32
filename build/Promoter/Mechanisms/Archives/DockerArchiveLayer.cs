using Promoter.Oci;

namespace Promoter.Archives;

/// <summary>One layer of an image in a <c>docker save</c> archive.</summary>
/// <param name="Path">The entry name of the layer tar inside the archive (from <c>manifest.json</c> <c>Layers</c>).</param>
/// <param name="DiffId">The sha256 of the uncompressed layer tar, as listed in the config's <c>rootfs.diff_ids</c>.</param>
/// <param name="Size">The size of the layer tar in bytes.</param>
public sealed record DockerArchiveLayer(string Path, Digest DiffId, long Size);
