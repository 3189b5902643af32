using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>One manifest of a repository: its digest, media type and the tags pointing at it (empty when tagless).</summary>
/// <param name="Digest">The manifest digest.</param>
/// <param name="MediaType">The manifest media type.</param>
/// <param name="Tags">The tags pointing at it, sorted ordinally.</param>
public sealed record InventoryManifest(Digest Digest, string MediaType, IReadOnlyList<string> Tags);
