using k8s.Models;

namespace Build.Kubernetes;

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
