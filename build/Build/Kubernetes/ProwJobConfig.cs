using k8s.Models;

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

/// <summary>One Prow job: a name, when it runs, pod utilities (decoration) and the pod it runs.</summary>
public sealed class ProwJob
{
    /// <summary>The job's name, e.g. <c>pull-cip-test</c>.</summary>
    public string? Name { get; set; }

    /// <summary>Presubmit: run on every pull request without being asked.</summary>
    public bool? AlwaysRun { get; set; }

    /// <summary>Presubmit: run only on pull requests changing a file whose path matches this regular expression.</summary>
    public string? RunIfChanged { get; set; }

    /// <summary>Presubmit and postsubmit: the branches (regular expressions) the job runs for.</summary>
    public List<string>? Branches { get; set; }

    /// <summary>Periodic: the schedule in cron syntax (UTC).</summary>
    public string? Cron { get; set; }

    /// <summary>Run with Prow's pod utilities: clone the refs, set <c>ARTIFACTS</c>, upload logs and artifacts.</summary>
    public bool? Decorate { get; set; }

    /// <summary>Decoration settings; here the job's timeout.</summary>
    public ProwDecorationConfig? DecorationConfig { get; set; }

    /// <summary>Periodic: the repositories to clone (a periodic job has no refs of its own).</summary>
    public List<ProwRefs>? ExtraRefs { get; set; }

    /// <summary>The pod the job runs.</summary>
    public V1PodSpec? Spec { get; set; }
}

/// <summary>Prow's <c>decoration_config</c>.</summary>
public sealed class ProwDecorationConfig
{
    /// <summary>How long the test process may run, e.g. <c>2h</c>; Prow then kills it.</summary>
    public string? Timeout { get; set; }
}

/// <summary>A repository a decorated job clones (<c>extra_refs</c>).</summary>
public sealed class ProwRefs
{
    /// <summary>The GitHub organisation.</summary>
    public string? Org { get; set; }

    /// <summary>The repository.</summary>
    public string? Repo { get; set; }

    /// <summary>The branch cloned.</summary>
    public string? BaseRef { get; set; }

    /// <summary>Clone into <c>$GOPATH/src/&lt;path_alias&gt;</c> instead of <c>org/repo</c>; unset here.</summary>
    public string? PathAlias { get; set; }
}
