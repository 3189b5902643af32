namespace Build.Kubernetes;

/// <summary>An environment of the kustomize overlays: its namespace and the build image pinned there.</summary>
/// <param name="Name">The overlay folder, e.g. <c>staging</c>.</param>
/// <param name="Namespace">Where its objects go.</param>
/// <param name="Image">The build image name in that environment (no tag, no digest).</param>
/// <param name="Digest">The build image digest, <c>sha256:</c> and 64 hex digits.</param>
public sealed record JobEnvironment(string Name, string Namespace, string Image, string Digest);
