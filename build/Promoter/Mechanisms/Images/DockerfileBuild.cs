namespace Promoter.Images;

/// <summary>A docker build: <c>docker build --file Dockerfile Context</c>.</summary>
/// <param name="Dockerfile">The Dockerfile (absolute).</param>
/// <param name="Context">The build context folder (absolute).</param>
public sealed record DockerfileBuild(string Dockerfile, string Context);
