using Cake.Core.Tooling;

namespace Build.Tools.Kubectl;

/// <summary>Settings shared by every kubectl command (kubectl's global flags, Cake.Kubectl style).</summary>
public class KubectlSettings : ToolSettings
{
    /// <summary><c>--kubeconfig</c>: the kubeconfig file; null for kubectl's own choice (<c>KUBECONFIG</c>, <c>~/.kube/config</c>).</summary>
    public string? Kubeconfig { get; set; }

    /// <summary><c>--context</c>: the kubeconfig context; null for the current context.</summary>
    public string? Context { get; set; }

    /// <summary><c>--namespace</c>; null for the context's namespace.</summary>
    public string? Namespace { get; set; }

    /// <summary><c>--token</c>: a bearer token for the API server; never logged or put into an error (shown as <c>[REDACTED]</c>).</summary>
    public string? Token { get; set; }
}
