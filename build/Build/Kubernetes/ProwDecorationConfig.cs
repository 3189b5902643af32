namespace Build.Kubernetes;

/// <summary>Prow's <c>decoration_config</c>.</summary>
public sealed class ProwDecorationConfig
{
    /// <summary>How long the test process may run, e.g. <c>2h</c>; Prow then kills it.</summary>
    public string? Timeout { get; set; }
}
