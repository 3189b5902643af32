using Promoter.Oci;

namespace Promoter.Images;

/// <summary>An image an engine holds, ready to push: loaded from an archive or built.</summary>
/// <param name="Name">What the caller calls it (for logs and progress), e.g. <c>foo-amd64</c> or <c>promoter</c>.</param>
/// <param name="Platform">The platform its config declares.</param>
/// <param name="Location">Where it is: the archive path (oci) or the local docker image name or ID (docker).</param>
/// <param name="ManifestDigest">The manifest digest it will have in any registry, when the engine knows it before pushing
/// (oci: a property of the archive); null when the digest only comes from the push (docker).</param>
public sealed record EngineImage(string Name, Platform Platform, string Location, Digest? ManifestDigest)
{
    /// <summary>The oci engine's in-process image (manifest bytes and blob openers); null for other engines.</summary>
    public PushableImage? Pushable { get; init; }
}
