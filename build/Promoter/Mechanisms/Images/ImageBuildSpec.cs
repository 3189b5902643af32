using Promoter.Oci;

namespace Promoter.Images;

/// <summary>How to build an image; an engine uses the part it knows (oci: <see cref="Layered"/>, docker: <see cref="Dockerfile"/>).</summary>
/// <param name="Name">The image's name, e.g. <c>promoter</c>; also its local repository name.</param>
/// <param name="Tag">The tag the built image carries locally, e.g. <c>v1.3.0</c>.</param>
/// <param name="Platform">The platform to build for.</param>
/// <param name="Layered">The daemonless description, or null.</param>
/// <param name="Dockerfile">The docker description, or null.</param>
public sealed record ImageBuildSpec(string Name, string Tag, Platform Platform, LayeredBuild? Layered, DockerfileBuild? Dockerfile);
