namespace Promoter.Releases;

/// <summary>The <c>docker build</c> of a release image.</summary>
/// <param name="DockerfilePath">Full path of the Dockerfile (<c>FROM scratch</c> here: no image can be pulled).</param>
/// <param name="ContextPath">Full path of the build context folder (default: the Dockerfile's folder).</param>
public sealed record DockerReleaseBuild(string DockerfilePath, string ContextPath);
