using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>What a manifest HEAD tells: the digest, media type and size of the manifest a tag or digest names.</summary>
/// <param name="Digest">The <c>Docker-Content-Digest</c> the registry reported.</param>
/// <param name="MediaType">The Content-Type of the manifest.</param>
/// <param name="Size">The manifest length in bytes.</param>
public sealed record ManifestInfo(Digest Digest, string MediaType, long Size);

/// <summary>A fetched manifest: the exact bytes as stored, their media type and sha256 digest.</summary>
/// <param name="Bytes">The manifest bytes exactly as the registry served them (never re-serialised).</param>
/// <param name="MediaType">The Content-Type the registry served.</param>
/// <param name="Digest">sha256 of <paramref name="Bytes"/> (checked against the requested digest when fetched by digest).</param>
public sealed record ManifestContent(byte[] Bytes, string MediaType, Digest Digest)
{
    /// <summary>Parses the bytes (<see cref="ManifestDocument.Parse"/>).</summary>
    /// <exception cref="FormatException">The bytes are not a manifest this project reads.</exception>
    public ManifestDocument Parse(string source) => ManifestDocument.Parse(Bytes, MediaType, source);
}

/// <summary>How one call of <see cref="BlobTransfer"/> got a blob into the target repository.</summary>
public enum BlobCopyOutcome
{
    /// <summary>The target repository already had the blob; nothing was moved.</summary>
    AlreadyPresent,
    /// <summary>Cross-repository mount on the same registry (no bytes moved).</summary>
    Mounted,
    /// <summary>The bytes were uploaded (from the source registry or local content), every byte verified.</summary>
    Uploaded,
    /// <summary>An earlier call of the same transfer moved (or found) this blob for this repository; this call waited for it.</summary>
    Shared,
}
