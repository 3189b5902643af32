using Promoter.Oci;

namespace Promoter.Registry;

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
