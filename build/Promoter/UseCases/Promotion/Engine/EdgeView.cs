using Promoter.Oci;

namespace Promoter.Promotion.Engine;

/// <summary>What the registries answered for one edge: the source, the destination tag and the destination digest.</summary>
/// <param name="SourcePresent">The source repository holds the edge's digest.</param>
/// <param name="TagDigest">The digest the destination tag points at; null when the tag is absent or the edge is tagless.</param>
/// <param name="DigestPresent">The destination repository holds the edge's digest.</param>
public readonly record struct EdgeView(bool SourcePresent, Digest? TagDigest, bool DigestPresent);
