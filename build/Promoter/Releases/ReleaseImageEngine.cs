using Promoter.Images;
using Promoter.Oci;

namespace Promoter.Releases;

/// <summary>A release image built and ready to push (or, in a presubmit, only built).</summary>
/// <param name="Definition">The image definition it was built from.</param>
/// <param name="Tag">The tag it carries, <c>v&lt;version&gt;</c>.</param>
/// <param name="Location">Where the build is: the <c>docker save</c> archive (oci engine) or the local docker image name (docker engine).</param>
/// <param name="ManifestDigest">The manifest digest it will have in a registry when the engine knows it before pushing
/// (the oci engine: a property of the archive); null for the docker engine, whose digest comes from the push.</param>
public sealed record BuiltReleaseImage(ReleaseImage Definition, string Tag, string Location, Digest? ManifestDigest)
{
    /// <summary>The oci engine's pushable image.</summary>
    internal PushableImage? Pushable { get; init; }
}

/// <summary>A release image in the staging registry.</summary>
/// <param name="Definition">The image definition.</param>
/// <param name="Reference">The reference pushed, e.g. <c>127.0.0.1:5000/cip-staging/promoter:v1.2.0</c>.</param>
/// <param name="Digest">The manifest digest the staging registry holds under that reference.</param>
public sealed record StagedReleaseImage(ReleaseImage Definition, string Reference, Digest Digest);

/// <summary>How release images are built and pushed to staging: daemonless (<see cref="OciReleaseEngine"/>) or through docker.</summary>
public interface IReleaseImageEngine
{
    /// <summary>The engine's name, <c>oci</c> or <c>docker</c>.</summary>
    string Name { get; }

    /// <summary>One line saying how <paramref name="image"/> is built (for a dry run).</summary>
    string DescribeBuild(ReleaseImage image);

    /// <summary>Builds <paramref name="image"/> tagged <paramref name="tag"/>; build outputs go to <paramref name="outputFolder"/>.</summary>
    /// <exception cref="ReleaseBuildException">The build failed (the message names the image and the cause).</exception>
    Task<BuiltReleaseImage> BuildAsync(ReleaseImage image, string tag, string outputFolder, CancellationToken cancellationToken = default);

    /// <summary>Pushes a built image to <paramref name="stagingRegistry"/> (<c>host[/prefix]</c>) under its tag.</summary>
    /// <exception cref="Promoter.Registry.RegistryException">The registry refused or could not be reached.</exception>
    /// <exception cref="ReleaseBuildException">The push failed otherwise (e.g. docker failed).</exception>
    Task<StagedReleaseImage> PushAsync(BuiltReleaseImage image, string stagingRegistry, CancellationToken cancellationToken = default);
}

/// <summary>A release image could not be built or pushed; the message names the image and the cause.</summary>
public sealed class ReleaseBuildException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the image.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ReleaseBuildException(string message, Exception? inner = null) : base(message, inner) { }
}
