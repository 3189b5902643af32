using System.Text.Json.Serialization;

namespace Promoter.Oci;

/// <summary>A content descriptor (OCI image-spec <c>descriptor.md</c>): what a blob or manifest is, by digest and size.</summary>
/// <param name="MediaType">The media type of the referenced content.</param>
/// <param name="Digest">The sha256 digest of the referenced bytes.</param>
/// <param name="Size">The size of the referenced bytes, in bytes.</param>
/// <param name="Platform">For index entries: the platform of the referenced manifest.</param>
public sealed record Descriptor(
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("platform"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Platform? Platform = null)
{
    /// <summary>The digest, parsed.</summary>
    /// <exception cref="FormatException">The digest text is not a sha256 digest.</exception>
    [JsonIgnore]
    public Digest ParsedDigest => Oci.Digest.Parse(Digest);
}
