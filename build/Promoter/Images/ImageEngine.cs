using Promoter.Oci;
using Promoter.Archives;

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

/// <summary>Where a push goes.</summary>
/// <param name="Registry">The registry name, <c>host[:port][/prefix]</c>.</param>
/// <param name="Repository">The repository below the registry's prefix, e.g. <c>library/foo</c>.</param>
/// <param name="Tags">The tags to leave on the manifest; empty for a push by digest only (a tagless image).</param>
public sealed record PushTarget(string Registry, string Repository, IReadOnlyList<string> Tags);

/// <summary>One child of an index: a pushed image and, when the index should record another platform than the image's
/// config declares (upstream annotates its s390x image, whose config says amd64), that platform.</summary>
/// <param name="Image">The child, pushed into the index's repository already.</param>
/// <param name="Platform">The platform the index records, or null for the image's own.</param>
public sealed record IndexChild(EngineImage Image, Platform? Platform = null);

/// <summary>One reference a push wrote (or found already in place), with the digest it resolves to.</summary>
/// <param name="Reference">e.g. <c>127.0.0.1:5000/k8s-staging-cip-test/library/foo:1.0</c>, or <c>...@sha256:…</c> for a tagless image.</param>
/// <param name="Digest">The manifest digest.</param>
/// <param name="MediaType">The manifest media type.</param>
public sealed record PushedReference(string Reference, Digest Digest, string MediaType);

/// <summary>What an engine sent, when it knows (the oci engine counts; the docker CLI does not tell).</summary>
/// <param name="BlobsUploaded">Blobs sent to a registry.</param>
/// <param name="BlobsPresent">Blobs a registry already had (not sent again).</param>
/// <param name="ManifestsPut">Manifests and tags written (ones already in place are not written again).</param>
public sealed record PushCounts(int BlobsUploaded, int BlobsPresent, int ManifestsPut);

/// <summary>Progress of one image of a push.</summary>
/// <param name="Image">The image's name (or <c>repository:tag</c> for an index).</param>
/// <param name="BytesDone">Blob bytes confirmed in the registry so far.</param>
/// <param name="BytesTotal">All blob bytes of the image.</param>
/// <param name="Done">True once the manifest and tags are written.</param>
public sealed record ImagePushProgress(string Image, long BytesDone, long BytesTotal, bool Done);

/// <summary>A daemonless build: the base archive's layers unchanged, then one layer per <see cref="Layers"/> entry.</summary>
/// <param name="BaseArchive">A <c>docker save</c> archive whose first image's layers come first, or null for <c>scratch</c>.</param>
/// <param name="Layers">The image's own layers, base first.</param>
/// <param name="Entrypoint">The config's <c>Entrypoint</c>, or null.</param>
/// <param name="CreatedBy">Each history entry's <c>created_by</c>.</param>
public sealed record LayeredBuild(string? BaseArchive, IReadOnlyList<LayerSpec> Layers, IReadOnlyList<string>? Entrypoint, string CreatedBy);

/// <summary>A docker build: <c>docker build --file Dockerfile Context</c>.</summary>
/// <param name="Dockerfile">The Dockerfile (absolute).</param>
/// <param name="Context">The build context folder (absolute).</param>
public sealed record DockerfileBuild(string Dockerfile, string Context);

/// <summary>How to build an image; an engine uses the part it knows (oci: <see cref="Layered"/>, docker: <see cref="Dockerfile"/>).</summary>
/// <param name="Name">The image's name, e.g. <c>promoter</c>; also its local repository name.</param>
/// <param name="Tag">The tag the built image carries locally, e.g. <c>v1.3.0</c>.</param>
/// <param name="Platform">The platform to build for.</param>
/// <param name="Layered">The daemonless description, or null.</param>
/// <param name="Dockerfile">The docker description, or null.</param>
public sealed record ImageBuildSpec(string Name, string Tag, Platform Platform, LayeredBuild? Layered, DockerfileBuild? Dockerfile);

/// <summary>An image could not be loaded, built or pushed by an engine; the message names the image and the cause.</summary>
public sealed class ImageEngineException(string message, Exception? inner = null) : PromoterException(message, inner);

/// <summary>
/// How images are loaded, built and pushed: daemonless in-process (<see cref="OciImageEngine"/>), or through the docker
/// CLI (the build program's docker engine, KEP-2818's flow). Chosen once per run; every image of the run
/// goes through it. See this folder's README for the digests each engine gives.
/// </summary>
public interface IImageEngine
{
    /// <summary>The engine's name, <c>oci</c> or <c>docker</c>.</summary>
    string Name { get; }

    /// <summary>What the engine sent so far in this run, or null when it cannot tell.</summary>
    PushCounts? Counts { get; }

    /// <summary>Reads and verifies the archive at <paramref name="archivePath"/> - a <c>docker save</c> tarball, or for the
    /// oci engine also a one-image OCI layout - and, for docker, loads it.</summary>
    /// <param name="archivePath">The archive.</param>
    /// <param name="name">The image's name for logs and progress.</param>
    /// <param name="verified">The archive as the caller already opened and verified it, or null; when given, the engine does
    /// not read and hash the archive again.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <exception cref="ImageArchiveException">The archive is missing or corrupt (message starts with its path).</exception>
    /// <exception cref="ImageEngineException">The engine failed otherwise (docker load).</exception>
    Task<EngineImage> LoadAsync(string archivePath, string name, PushableImage? verified = null, CancellationToken cancellationToken = default);

    /// <summary>One line saying how <paramref name="spec"/> would be built (for a dry run).</summary>
    /// <exception cref="ImageEngineException">The spec has no part this engine can build.</exception>
    string DescribeBuild(ImageBuildSpec spec);

    /// <summary>Builds <paramref name="spec"/>; build outputs (the oci engine's archive) go to <paramref name="outputFolder"/>.</summary>
    /// <exception cref="ImageEngineException">The spec has no part for this engine, or the build failed.</exception>
    Task<EngineImage> BuildAsync(ImageBuildSpec spec, string outputFolder, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pushes <paramref name="image"/> to <paramref name="target"/>: blobs, the manifest, then each tag (or by digest only
    /// when there is no tag). Returns one reference per tag, or the single by-digest reference.
    /// </summary>
    /// <exception cref="Promoter.Registry.RegistryException">The registry refused or could not be reached.</exception>
    /// <exception cref="ImageEngineException">The engine failed otherwise.</exception>
    Task<IReadOnlyList<PushedReference>> PushAsync(EngineImage image, PushTarget target, IProgress<ImagePushProgress>? progress = null,
        CancellationToken cancellationToken = default);

    /// <summary>Pushes a manifest list of <paramref name="children"/> (pushed into the same repository already) under the single tag of <paramref name="target"/>.</summary>
    /// <exception cref="Promoter.Registry.RegistryException">The registry refused, or (oci) a child is missing there.</exception>
    /// <exception cref="ImageEngineException">The engine failed otherwise, or (docker) a child was not pushed in this run.</exception>
    Task<PushedReference> PushIndexAsync(IReadOnlyList<IndexChild> children, PushTarget target, CancellationToken cancellationToken = default);
}
