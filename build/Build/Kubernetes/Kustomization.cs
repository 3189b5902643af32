namespace Build.Kubernetes;

/// <summary>A kustomize <c>kustomization.yaml</c> (kustomize.config.k8s.io/v1beta1): the fields this project uses.</summary>
public sealed class Kustomization
{
    /// <summary>Always <c>kustomize.config.k8s.io/v1beta1</c>.</summary>
    public string ApiVersion { get; set; } = "kustomize.config.k8s.io/v1beta1";

    /// <summary>Always <c>Kustomization</c>.</summary>
    public string Kind { get; set; } = "Kustomization";

    /// <summary>The namespace every resource is put in, or null to keep theirs.</summary>
    public string? Namespace { get; set; }

    /// <summary>Files or folders (other kustomizations) relative to this file.</summary>
    public List<string>? Resources { get; set; }

    /// <summary>Image replacements applied to every container.</summary>
    public List<KustomizeImage>? Images { get; set; }
}
