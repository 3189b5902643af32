using Promoter.Archives;

namespace Promoter.Images;

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
