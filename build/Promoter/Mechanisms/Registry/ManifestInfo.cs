using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>What a manifest HEAD tells: the digest, media type and size of the manifest a tag or digest names.</summary>
/// <param name="Digest">The <c>Docker-Content-Digest</c> the registry reported.</param>
/// <param name="MediaType">The Content-Type of the manifest.</param>
/// <param name="Size">The manifest length in bytes.</param>
public sealed record ManifestInfo(Digest Digest, string MediaType, long Size);
