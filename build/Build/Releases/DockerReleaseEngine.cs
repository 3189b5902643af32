using Build.Tools.Docker;
using Cake.Core;
using Promoter.Promotion;
using Promoter.Releases;

namespace Build.Releases;

/// <summary>
/// The docker engine of release images: <c>docker build --platform P --tag cip-release/&lt;repository&gt;:v&lt;version&gt;
/// --file Dockerfile context</c> (the Dockerfiles are <c>FROM scratch</c> + <c>COPY</c>: no image can be pulled here),
/// then <c>docker tag</c> and <c>docker push</c> to staging; the digest is read back from the registry, since it comes
/// from Docker's own layer compression.
/// </summary>
public sealed class DockerReleaseEngine(BuildContext context) : IReleaseImageEngine
{
    /// <summary>The local name prefix of built release images.</summary>
    public const string LocalPrefix = "cip-release";

    /// <inheritdoc />
    public string Name => "docker";

    /// <inheritdoc />
    public string DescribeBuild(ReleaseImage image)
    {
        var build = Require(image);
        return $"{image.Repository} ({image.Platform}): docker build --file {Relative(build.DockerfilePath)} {Relative(build.ContextPath)}";
    }

    /// <inheritdoc />
    public Task<BuiltReleaseImage> BuildAsync(ReleaseImage image, string tag, string outputFolder, CancellationToken cancellationToken = default)
    {
        var build = Require(image);
        var local = $"{LocalPrefix}/{image.Repository}:{tag}";
        try
        {
            context.DockerBuild(build.ContextPath, [local], build.DockerfilePath, image.Platform.ToString());
        }
        catch (CakeException exception)
        {
            throw new ReleaseBuildException($"release image {image.Repository}: {exception.Message}", exception);
        }
        return Task.FromResult(new BuiltReleaseImage(image, tag, local, null));
    }

    /// <inheritdoc />
    public async Task<StagedReleaseImage> PushAsync(BuiltReleaseImage image, string stagingRegistry, CancellationToken cancellationToken = default)
    {
        var path = RegistryPath.Parse(stagingRegistry);
        var pool = context.Registries.Pool;
        var repository = path.RepositoryFor(image.Definition.Repository);
        var target = $"{pool.Resolve(path.Host).Address}/{repository}:{image.Tag}";
        try
        {
            context.DockerTag(image.Location, target);
            context.DockerPush(target);
        }
        catch (CakeException exception)
        {
            throw new ReleaseBuildException($"release image {image.Definition.Repository}: {exception.Message}", exception);
        }
        var info = await pool.For(path.Host).HeadManifestAsync(repository, image.Tag, cancellationToken)
                   ?? throw new ReleaseBuildException($"{target}: docker reported the push, but the registry has no such manifest.");
        return new StagedReleaseImage(image.Definition, $"{stagingRegistry}/{image.Definition.Repository}:{image.Tag}", info.Digest);
    }

    private static DockerReleaseBuild Require(ReleaseImage image) =>
        image.Docker ?? throw new ReleaseBuildException($"release image {image.Repository} (line {image.Line}) has no 'docker:' section; the docker engine cannot build it.");

    private string Relative(string path) => Path.GetRelativePath(context.RepositoryRoot.FullPath, path);
}
