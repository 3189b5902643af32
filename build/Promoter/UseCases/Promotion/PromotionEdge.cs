using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Promotion;

/// <summary>
/// One promotion (<c>manifests/README.md</c> §1 "Cross-edge checks"): copy
/// <c>&lt;SourceRegistry&gt;/&lt;SourceImage&gt;@&lt;Digest&gt;</c> to
/// <c>&lt;DestinationRegistry&gt;/&lt;DestinationImage&gt;:&lt;Tag&gt;</c>, or by digest only when <see cref="Tag"/> is null.
/// Equality is by value over all six fields.
/// </summary>
/// <param name="SourceRegistry">The source registry name (with its path prefix).</param>
/// <param name="SourceImage">The image name under the source registry.</param>
/// <param name="Digest">The digest text being promoted.</param>
/// <param name="DestinationRegistry">The destination registry name (with its path prefix).</param>
/// <param name="DestinationImage">The image name under the destination registry (the same as the source: there are no renames).</param>
/// <param name="Tag">The tag to set in the destination, or null for a tagless (digest-only) promotion.</param>
public sealed record PromotionEdge(
    string SourceRegistry,
    string SourceImage,
    string Digest,
    string DestinationRegistry,
    string DestinationImage,
    string? Tag)
{
    /// <summary>The source as a reference by digest, e.g. <c>gcr.io/stg/golden-foo/foo@sha256:…</c>.</summary>
    /// <exception cref="FormatException">A registry name or the digest is malformed.</exception>
    public ImageReference SourceReference() =>
        RegistryPath.Parse(SourceRegistry).ReferenceFor(SourceImage, digest: Oci.Digest.Parse(Digest));

    /// <summary>The destination as a reference: by tag, or by digest when tagless.</summary>
    /// <exception cref="FormatException">A registry name or the digest is malformed.</exception>
    public ImageReference DestinationReference() =>
        Tag is null
            ? RegistryPath.Parse(DestinationRegistry).ReferenceFor(DestinationImage, digest: Oci.Digest.Parse(Digest))
            : RegistryPath.Parse(DestinationRegistry).ReferenceFor(DestinationImage, tag: Tag);

    /// <summary><c>src/img@digest -> dst/img:tag</c> (or <c>dst/img@digest</c>).</summary>
    public override string ToString() =>
        $"{SourceRegistry}/{SourceImage}@{Digest} -> {DestinationRegistry}/{DestinationImage}" + (Tag is null ? $"@{Digest}" : $":{Tag}");
}
