using Promoter.Oci;

namespace Promoter.Attachments;

/// <summary>One entry of a referrers index (an OCI index of manifests whose <c>subject</c> is one digest).</summary>
/// <param name="Json">The descriptor's JSON exactly as served (artifactType and annotations included).</param>
/// <param name="Digest">The referrer manifest's digest.</param>
/// <param name="Size">The referrer manifest's size in bytes.</param>
/// <param name="MediaType">The referrer manifest's media type.</param>
public sealed record ReferrerEntry(string Json, Digest Digest, long Size, string MediaType);
