namespace Build.Kubernetes;

/// <summary>
/// Prow's job configuration (the <c>presubmits</c>, <c>postsubmits</c> and <c>periodics</c> of a job config file, keys in
/// snake_case as Prow reads them); each job's <see cref="ProwJob.Spec"/> is a typed Kubernetes pod spec.
/// Written and read by <see cref="KubernetesYamlText.WriteProw"/> and <see cref="KubernetesYamlText.ReadProw"/>.
/// </summary>
public sealed class ProwJobConfig
{
    /// <summary>Jobs run on every pull request, by <c>org/repo</c>.</summary>
    public Dictionary<string, List<ProwJob>>? Presubmits { get; set; }

    /// <summary>Jobs run on every merged commit, by <c>org/repo</c>.</summary>
    public Dictionary<string, List<ProwJob>>? Postsubmits { get; set; }

    /// <summary>Jobs run on a schedule.</summary>
    public List<ProwJob>? Periodics { get; set; }
}
