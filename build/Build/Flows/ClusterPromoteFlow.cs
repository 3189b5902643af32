using System.Diagnostics;
using Build.Kubernetes;
using Build.Settings;
using Build.Tools.Kubectl;
using Cake.Core;
using Cake.Core.Diagnostics;
using k8s;
using k8s.Models;
using Promoter.Reporting;

namespace Build.Flows;

/// <summary>
/// PromoteOnCluster: the sharded promotion's Indexed Job (<see cref="PipelineJobs.ShardedPromotion"/>) on the current
/// kubeconfig context, through kubectl: render the environment's <c>-sharded</c> overlay, apply it server-side under a
/// name of this run, wait until the Job completes or fails, then gather each shard's pod logs and a JUnit file into the
/// artifacts folder. Never run against a live API server here (README, "Jobs as code").
/// </summary>
public static class ClusterPromoteFlow
{
    /// <summary>The field manager of the server-side apply (who owns the fields this program sets).</summary>
    public const string FieldManager = "cip-promoter";

    /// <summary>The pod label (and annotation) Kubernetes sets to the pod's completion index in an Indexed Job.</summary>
    public const string CompletionIndexKey = "batch.kubernetes.io/job-completion-index";

    /// <summary>How long one <c>kubectl wait</c> for completion may block before the flow checks for failure.</summary>
    public static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(30);

    /// <summary>Runs the Job and reports it; see the class summary.</summary>
    /// <param name="settings">The overlay folder, context and timeout.</param>
    /// <param name="context">Runs kubectl (<see cref="KubectlAliases"/>).</param>
    /// <param name="artifacts">Where logs and <c>junit_promote_on_cluster.xml</c> go (Prow's <c>ARTIFACTS</c>; created).</param>
    /// <param name="runId">Suffix of this run's Job name, lower-case letters, digits and '-', e.g. <c>20261201-190500</c>
    /// (a finished Job's pod template is immutable, so every run applies a new Job; the Job's TTL removes old ones).</param>
    /// <exception cref="CakeException">kubectl fails; the rendering holds no sharded Job; the Job failed, did not finish in
    /// time, or a shard has no succeeded pod (the message names the shards and where their logs are).</exception>
    public static void Run(ClusterSettings settings, ICakeContext context, string artifacts, string runId)
    {
        var log = context.Log;
        var kubectl = new KubectlSettings { Context = settings.Context };
        var environments = PipelineJobs.Environments.Select(e => e.Name).ToList();
        if (!environments.Contains(settings.Environment, StringComparer.Ordinal))
            throw new CakeException($"Setting '{BuildSettings.ClusterEnvironment.Name}': expected one of {string.Join(", ", environments)}, got '{settings.Environment}'.");
        var overlay = Path.Combine(settings.Folder, "overlays", $"{settings.Environment}-sharded");
        if (!Directory.Exists(overlay))
            throw new CakeException($"{overlay}: no such overlay; expected one of {string.Join(", ", PipelineJobs.Environments.Select(e => e.Name))} (run RenderJobs).");

        var objects = KubernetesYaml.LoadAllFromString(context.KubectlKustomize(overlay));
        var job = objects.OfType<V1Job>().SingleOrDefault(j => j.Metadata?.Name == PipelineJobs.ShardedJobName)
            ?? throw new CakeException($"kubectl kustomize {overlay} rendered no Job named {PipelineJobs.ShardedJobName}.");
        var shards = job.Spec?.Completions ?? throw new CakeException($"{overlay}: the Job {PipelineJobs.ShardedJobName} has no completions.");
        var name = $"{PipelineJobs.ShardedJobName}-{runId}";
        job.Metadata!.Name = name;
        kubectl.Namespace = job.Metadata.NamespaceProperty;

        Directory.CreateDirectory(artifacts);
        var applied = Path.Combine(artifacts, $"{name}.yaml");
        File.WriteAllText(applied, string.Join("\n---\n", objects.Select(o => KubernetesYaml.Serialize(o).TrimEnd('\n'))) + "\n");
        foreach (var line in context.KubectlApply(applied, FieldManager, settings: kubectl)) log.Information("applied: {0}", line);
        log.Information("job/{0} in {1}: {2} shard(s) of Promote --shards={2}; waiting at most {3:0} s", name, kubectl.Namespace ?? "the context's namespace",
            shards, settings.Timeout.TotalSeconds);

        var clock = Stopwatch.StartNew();
        var resource = $"job/{name}";
        string? failure = null;
        while (true)
        {
            var left = settings.Timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero) { failure = $"job/{name} did not finish within {settings.Timeout.TotalSeconds:0} s"; break; }
            if (context.KubectlWait(resource, "condition=complete", left < WaitSlice ? left : WaitSlice, kubectl)) break;
            if (context.KubectlWait(resource, "condition=failed", TimeSpan.Zero, kubectl)) { failure = $"job/{name} failed"; break; }
            log.Information("job/{0}: still running after {1:0} s", name, clock.Elapsed.TotalSeconds);
        }

        var pods = KubernetesJson.Deserialize<V1PodList>(context.KubectlGet("pods", $"job-name={name}", kubectl)).Items ?? [];
        var cases = new List<JUnitCase>();
        var failedShards = new List<string>();
        for (var index = 0; index < shards; index++)
        {
            var shard = $"shard-{index}-of-{shards}";
            var mine = pods.Where(p => IndexOf(p) == index).OrderBy(p => p.Metadata?.CreationTimestamp).ToList();
            var logs = new List<string>();
            foreach (var pod in mine)
            {
                var file = Path.Combine(artifacts, $"{shard}_{pod.Metadata.Name}.log");
                string text;
                try { text = context.KubectlLogs(pod.Metadata.Name, settings: kubectl); }
                catch (CakeException exception) { text = $"(no log: {exception.Message})\n"; }
                File.WriteAllText(file, text);
                logs.Add($"{pod.Metadata.Name} ({pod.Status?.Phase ?? "unknown phase"}): {file}");
            }
            var succeeded = mine.Any(p => p.Status?.Phase == "Succeeded");
            if (!succeeded) failedShards.Add($"{shard}: {(mine.Count == 0 ? "no pod" : string.Join("; ", logs))}");
            log.Information("{0}: {1}", shard, succeeded ? "succeeded" : "FAILED");
            foreach (var line in logs) log.Information("  {0}", line);
            cases.Add(new JUnitCase(name, shard, TimeSpan.Zero, Failure: succeeded ? null : $"{shard} has no succeeded pod", Output: string.Join("\n", logs)));
        }
        var junit = Path.Combine(artifacts, "junit_promote_on_cluster.xml");
        JUnitXml.Write(junit, $"PromoteOnCluster {name}", cases);
        log.Information("JUnit: {0}", junit);

        if (failure is not null || failedShards.Count > 0)
            throw new CakeException($"{failure ?? $"job/{name} completed"}; {failedShards.Count} of {shards} shard(s) failed" +
                string.Concat(failedShards.Select(f => Environment.NewLine + "  " + f)));
        log.Information("job/{0}: all {1} shard(s) succeeded", name, shards);
    }

    /// <summary>The pod's completion index (label, else annotation), or -1.</summary>
    private static int IndexOf(V1Pod pod)
    {
        var text = pod.Metadata?.Labels?.TryGetValue(CompletionIndexKey, out var label) == true ? label
            : pod.Metadata?.Annotations?.TryGetValue(CompletionIndexKey, out var annotation) == true ? annotation : null;
        return int.TryParse(text, out var index) ? index : -1;
    }
}
