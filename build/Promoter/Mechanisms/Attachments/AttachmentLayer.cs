using Promoter.Oci;

namespace Promoter.Attachments;

/// <summary>One layer of a cosign attachment manifest (<c>.sig</c>, <c>.att</c>), with its descriptor kept as served.</summary>
/// <param name="Json">The layer descriptor's JSON exactly as it appears in the manifest (annotations included).</param>
/// <param name="Digest">The layer blob's digest (the payload or envelope).</param>
/// <param name="Size">The blob's size in bytes.</param>
/// <param name="MediaType">The layer media type, e.g. <c>application/vnd.dev.cosign.simplesigning.v1+json</c>.</param>
/// <param name="Annotations">The descriptor's annotations (the signature is <c>dev.cosignproject.cosign/signature</c>).</param>
public sealed record AttachmentLayer(string Json, Digest Digest, long Size, string MediaType, IReadOnlyDictionary<string, string> Annotations)
{
    /// <summary>
    /// What makes two layers the same signature: the blob digest and every annotation. Two signatures of one payload
    /// by two keys share the blob and differ in their <c>dev.cosignproject.cosign/signature</c> annotation.
    /// </summary>
    public string Key => Digest.Value + "\n" + string.Join("\n", Annotations.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));
}
