using System.Xml.Linq;
using Build.Kubernetes;
using Build.Tests.Harness;
using Build.Tests.Tools.Kubectl;
using FluentAssertions;
using Promoter.Tests.Support;
using k8s;
using k8s.Models;

namespace Build.Tests.Tasks.PromoteOnCluster;

/// <summary>
/// PromoteOnCluster through the real build program with a kubectl stand-in on PATH (no API server can run here): the
/// exact kubectl command lines, and the handling of kubectl's outputs and exit codes (a Job that completes after a
/// timed-out wait, a failed Job, a retried shard, kubectl errors). <c>kubectl kustomize</c> is the real one.
/// </summary>
public sealed class PromoteOnClusterTests : IDisposable
{
    private readonly KubectlStandIn _kubectl = new();
    private readonly string _artifacts = Directory.CreateTempSubdirectory("cluster-artifacts-").FullName;

    public void Dispose()
    {
        _kubectl.Dispose();
        Directory.Delete(_artifacts, recursive: true);
    }

    private HostRunner.Result Run(params string[] args)
    {
        var environment = new Dictionary<string, string?>(_kubectl.Variables) { ["ARTIFACTS"] = _artifacts };
        return BuildProgram.RunWith(environment, ["--target", "PromoteOnCluster", .. args]);
    }

    private static string Pods(params (string Name, int Index, string Phase)[] pods) => KubernetesJson.Serialize(new V1PodList
    {
        ApiVersion = "v1", Kind = "List", Metadata = new V1ListMeta { ResourceVersion = "" },
        Items = pods.Select((p, i) => new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = p.Name, NamespaceProperty = "cip-staging", CreationTimestamp = new DateTime(2026, 12, 1, 19, 0, i, DateTimeKind.Utc),
                Labels = new Dictionary<string, string> { ["batch.kubernetes.io/job-completion-index"] = p.Index.ToString(), ["job-name"] = "x" },
                Annotations = new Dictionary<string, string> { ["batch.kubernetes.io/job-completion-index"] = p.Index.ToString() },
            },
            Status = new V1PodStatus { Phase = p.Phase },
        }).ToList(),
    });

    private static string TimedOut(string job) => $"error: timed out waiting for the condition on jobs/{job}\n";

    [ToolFact("kubectl")]
    public void A_job_that_completes_is_applied_server_side_waited_for_and_every_shards_log_gathered()
    {
        _kubectl.Reply("apply", 0, "serviceaccount/cip-promoter serverside-applied\njob.batch/cip-promote-sharded serverside-applied\n");
        _kubectl.Reply("wait", 1, error: TimedOut("cip-promote-sharded"), call: 1);
        _kubectl.Reply("wait", 1, error: TimedOut("cip-promote-sharded"), call: 2);
        _kubectl.Reply("wait", 0, "job.batch/cip-promote-sharded condition met\n", call: 3);
        _kubectl.Reply("get", 0, Pods(("p0", 0, "Succeeded"), ("p1", 1, "Succeeded"), ("p2a", 2, "Failed"), ("p2b", 2, "Succeeded"), ("p3", 3, "Succeeded")));
        foreach (var pod in new[] { "p0", "p1", "p2a", "p2b", "p3" })
            _kubectl.Reply($"logs.{pod}", 0, $"log of {pod}\n[shard n of 4] promoted: ...\n");

        var result = Run();

        result.ExitCode.Should().Be(0, result.Output);
        var calls = _kubectl.Calls;
        var job = calls[1][^1].Split('/')[^1].Replace(".yaml", "");
        job.Should().MatchRegex(@"^cip-promote-sharded-\d{8}-\d{6}$", "each run applies a Job of its own name");
        var overlay = Path.Combine(BuildProgram.RepositoryRoot, "manifests", "k8s", "overlays", "staging-sharded");
        var applied = Path.Combine(_artifacts, $"{job}.yaml");
        string[] ns = ["--namespace", "cip-staging"];
        calls.Should().HaveCount(11);
        calls[0].Should().Equal("kustomize", overlay);
        calls[1].Should().Equal([.. ns, "apply", "--server-side", "--field-manager=cip-promoter", "--filename", applied]);
        calls[2].Should().Equal([.. ns, "wait", "--for=condition=complete", $"job/{job}", "--timeout=30s"]);
        calls[3].Should().Equal([.. ns, "wait", "--for=condition=failed", $"job/{job}", "--timeout=0s"]);
        calls[4].Should().Equal([.. ns, "wait", "--for=condition=complete", $"job/{job}", "--timeout=30s"]);
        calls[5].Should().Equal([.. ns, "get", "pods", "--selector", $"job-name={job}", "--output", "json"]);
        calls.Skip(6).Select(c => c[^1]).Should().Equal("p0", "p1", "p2a", "p2b", "p3");
        calls.Skip(6).Should().OnlyContain(c => c.Length == 4 && c[2] == "logs");

        var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(applied));
        var sharded = objects.OfType<V1Job>().Single();
        sharded.Metadata.Name.Should().Be(job);
        sharded.Metadata.NamespaceProperty.Should().Be("cip-staging");
        sharded.Spec.CompletionMode.Should().Be("Indexed");
        sharded.Spec.Template.Spec.Containers[0].Image.Should().EndWith(PipelineJobs.Environments.Single(e => e.Name == "staging").Digest);
        JobRules.Violations(objects, "cip-staging").Should().BeEmpty();

        File.ReadAllText(Path.Combine(_artifacts, "shard-2-of-4_p2a.log")).Should().StartWith("log of p2a");
        File.ReadAllText(Path.Combine(_artifacts, "shard-2-of-4_p2b.log")).Should().StartWith("log of p2b");
        var junit = XDocument.Load(Path.Combine(_artifacts, "junit_promote_on_cluster.xml"));
        junit.Descendants("testcase").Select(c => (string?)c.Attribute("name")).Should().Equal("shard-0-of-4", "shard-1-of-4", "shard-2-of-4", "shard-3-of-4");
        junit.Descendants("failure").Should().BeEmpty("shard 2's retry succeeded");
        result.Output.Should().Contain("all 4 shard(s) succeeded").And.Contain("still running after");
    }

    [ToolFact("kubectl")]
    public void A_failed_job_fails_the_task_naming_the_failed_shard_and_still_gathers_the_logs()
    {
        _kubectl.Reply("apply", 0, "job.batch/cip-promote-sharded serverside-applied\n");
        _kubectl.Reply("wait", 1, error: TimedOut("cip-promote-sharded"), call: 1);
        _kubectl.Reply("wait", 0, "job.batch/cip-promote-sharded condition met\n", call: 2);
        _kubectl.Reply("get", 0, Pods(("p0", 0, "Succeeded"), ("p1a", 1, "Failed"), ("p1b", 1, "Failed"), ("p2", 2, "Succeeded"), ("p3", 3, "Succeeded")));
        foreach (var pod in new[] { "p0", "p2", "p3", "p1a" }) _kubectl.Reply($"logs.{pod}", 0, $"log of {pod}\n");
        _kubectl.Reply("logs.p1b", 1, error: "Error from server (NotFound): pods \"p1b\" not found\n");

        var result = Run("--cluster-env=production", "--kube-context=prod-cluster");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("failed; 1 of 4 shard(s) failed").And.Contain("shard-1-of-4: p1a (Failed)");
        _kubectl.Calls[0].Should().Equal(new[] { "kustomize", Path.Combine(BuildProgram.RepositoryRoot, "manifests", "k8s", "overlays", "production-sharded") },
            "kustomize renders offline: no context");
        _kubectl.Calls.Skip(1).Should().OnlyContain(c => c[0] == "--context" && c[1] == "prod-cluster" && c[2] == "--namespace" && c[3] == "cip-prod");
        File.ReadAllText(Path.Combine(_artifacts, "shard-1-of-4_p1b.log")).Should().Contain("(no log: ").And.Contain("\"p1b\" not found");
        var junit = XDocument.Load(Path.Combine(_artifacts, "junit_promote_on_cluster.xml"));
        junit.Descendants("failure").Should().ContainSingle().Which.Value.Should().Contain("shard-1-of-4");
    }

    [ToolFact("kubectl")]
    public void A_kubectl_error_fails_the_task_with_kubectls_message_and_nothing_is_waited_for()
    {
        _kubectl.Reply("apply", 1, error: "The connection to the server 127.0.0.1:9 was refused - did you specify the right host or port?\n");

        var result = Run();

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("kubectl --namespace \"cip-staging\" apply --server-side --field-manager=cip-promoter --filename")
            .And.Contain("exit code 1: The connection to the server 127.0.0.1:9 was refused");
        _kubectl.Calls.Should().NotContain(c => c.Contains("wait"));
        _kubectl.Calls.Should().HaveCount(2);
    }

    [ToolFact("kubectl")]
    public void An_unknown_environment_is_refused_before_kubectl_runs()
    {
        var result = Run("--cluster-env=qa");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("expected one of staging, production, got 'qa'");
        _kubectl.Calls.Should().BeEmpty();
    }
}
