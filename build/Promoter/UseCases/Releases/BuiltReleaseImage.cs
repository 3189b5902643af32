using Promoter.Images;
using Promoter.Oci;

namespace Promoter.Releases;

/// <summary>A release image built and ready to push (or, in a presubmit, only built).</summary>
/// <param name="Definition">The image definition it was built from.</param>
/// <param name="Tag">The tag it carries, <c>v&lt;version&gt;</c>.</param>
/// <param name="Image">The engine's image: <see cref="EngineImage.Location"/> is the archive (oci) or the local docker
/// image (docker); <see cref="EngineImage.ManifestDigest"/> is known before the push for the oci engine only.</param>
public sealed record BuiltReleaseImage(ReleaseImage Definition, string Tag, EngineImage Image)
{
    /// <summary>Where the build is (archive path or local docker image name).</summary>
    public string Location => Image.Location;

    /// <summary>The manifest digest it will have in a registry, when known before pushing; else null.</summary>
    public Digest? ManifestDigest => Image.ManifestDigest;
}
