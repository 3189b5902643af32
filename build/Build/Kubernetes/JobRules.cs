using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Build.Kubernetes;

/// <summary>
/// The project's rules for its Kubernetes objects and Prow jobs, checked on what the code renders and on what
/// <c>kubectl kustomize</c> makes of it: names, images pinned by digest, no secret in an environment variable,
/// resource requests, a service account, restartPolicy, backoffLimit and activeDeadlineSeconds.
/// </summary>
public static partial class JobRules
{
    /// <summary>Every object name starts with this.</summary>
    public const string NamePrefix = "cip-";

    /// <summary>The object kinds the manifests may hold (a <c>Secret</c> never: credentials are referenced by name).</summary>
    public static readonly IReadOnlyList<string> Kinds = ["ServiceAccount", "Job", "CronJob"];

    /// <summary>The violations of <paramref name="objects"/>, one line each naming the object; empty when all hold.</summary>
    /// <param name="objects">Typed objects as read back (e.g. by <see cref="KubernetesYaml.LoadAllFromString(string, IDictionary{string, Type}, bool)"/>).</param>
    /// <param name="expectedNamespace">The namespace every object must be in, or null to not check it.</param>
    public static IReadOnlyList<string> Violations(IEnumerable<object> objects, string? expectedNamespace)
    {
        var violations = new List<string>();
        var list = objects.ToList();
        var accounts = list.OfType<V1ServiceAccount>().Select(a => a.Metadata?.Name).ToHashSet();
        foreach (var item in list)
        {
            if (item is not IKubernetesObject<V1ObjectMeta> typed)
            {
                violations.Add($"{item.GetType().Name}: not a Kubernetes object with metadata");
                continue;
            }
            var where = $"{typed.Kind}/{typed.Metadata?.Name}";
            if (!Kinds.Contains(typed.Kind)) violations.Add($"{where}: kind {typed.Kind} is not allowed (only {string.Join(", ", Kinds)})");
            violations.AddRange(NameViolations(where, typed.Metadata?.Name, typed.Kind == "CronJob" ? 52 : 63));
            if (expectedNamespace is not null && typed.Metadata?.NamespaceProperty != expectedNamespace)
                violations.Add($"{where}: namespace is '{typed.Metadata?.NamespaceProperty}', expected '{expectedNamespace}'");
            switch (item)
            {
                case V1Job job:
                    violations.AddRange(JobSpecViolations(where, job.Spec, accounts));
                    break;
                case V1CronJob cron:
                    if (string.IsNullOrEmpty(cron.Spec?.Schedule)) violations.Add($"{where}: no schedule");
                    if (cron.Spec?.ConcurrencyPolicy != "Forbid") violations.Add($"{where}: concurrencyPolicy must be Forbid (two promotions of one manifest at once)");
                    violations.AddRange(JobSpecViolations(where, cron.Spec?.JobTemplate?.Spec, accounts));
                    break;
            }
        }
        return violations;
    }

    /// <summary>The violations of a Prow job configuration: names, decoration, and every pod as <see cref="PodViolations"/> checks it.</summary>
    public static IReadOnlyList<string> ProwViolations(ProwJobConfig config)
    {
        var violations = new List<string>();
        var jobs = (config.Presubmits?.Values.SelectMany(j => j) ?? []).Concat(config.Postsubmits?.Values.SelectMany(j => j) ?? [])
            .Concat(config.Periodics ?? []).ToList();
        if (jobs.Count == 0) violations.Add("the Prow config has no job");
        foreach (var job in jobs)
        {
            var where = $"prow job {job.Name}";
            violations.AddRange(NameViolations(where, job.Name, 63));
            if (job.Decorate != true) violations.Add($"{where}: not decorated (no clone, no ARTIFACTS upload)");
            if (job.Spec is null) violations.Add($"{where}: no pod spec");
            else violations.AddRange(PodViolations(where, job.Spec, requireRestartPolicy: false));
        }
        return violations;
    }

    /// <summary>The violations of one pod: a service account, restartPolicy (when required), every container's image by
    /// digest, resource requests and environment.</summary>
    public static IReadOnlyList<string> PodViolations(string where, V1PodSpec spec, bool requireRestartPolicy)
    {
        var violations = new List<string>();
        if (string.IsNullOrEmpty(spec.ServiceAccountName)) violations.Add($"{where}: no serviceAccountName");
        if (requireRestartPolicy && spec.RestartPolicy is not ("Never" or "OnFailure"))
            violations.Add($"{where}: restartPolicy is '{spec.RestartPolicy}', must be Never or OnFailure");
        var containers = (spec.InitContainers ?? []).Concat(spec.Containers ?? []).ToList();
        if (containers.Count == 0) violations.Add($"{where}: no container");
        foreach (var container in containers)
        {
            var at = $"{where} container {container.Name}";
            if (container.Image is null || !PinnedImage().IsMatch(container.Image))
                violations.Add($"{at}: image '{container.Image}' is not pinned by digest (NAME@sha256:<64 hex>)");
            foreach (var resource in new[] { "cpu", "memory" })
                if (container.Resources?.Requests?.ContainsKey(resource) != true) violations.Add($"{at}: no {resource} request");
            foreach (var variable in container.Env ?? [])
            {
                if (variable.ValueFrom?.SecretKeyRef is not null)
                    violations.Add($"{at}: env {variable.Name} reads a secret (mount it as a file and name the secret only)");
                if (CredentialName().IsMatch(variable.Name ?? "") && !string.IsNullOrEmpty(variable.Value))
                    violations.Add($"{at}: env {variable.Name} holds a value that looks like a credential");
            }
        }
        foreach (var volume in spec.Volumes ?? [])
            if (volume.Secret is { } secret && string.IsNullOrEmpty(secret.SecretName))
                violations.Add($"{where} volume {volume.Name}: a secret volume must name its secret");
        return violations;
    }

    private static IEnumerable<string> JobSpecViolations(string where, V1JobSpec? spec, IReadOnlySet<string?> accounts)
    {
        if (spec is null)
        {
            yield return $"{where}: no job spec";
            yield break;
        }
        if (spec.BackoffLimit is null) yield return $"{where}: no backoffLimit";
        if (spec.ActiveDeadlineSeconds is not > 0) yield return $"{where}: no activeDeadlineSeconds";
        if (spec.Template?.Spec is not { } pod)
        {
            yield return $"{where}: no pod template";
            yield break;
        }
        foreach (var violation in PodViolations(where, pod, requireRestartPolicy: true)) yield return violation;
        if (pod.ServiceAccountName is { } account && !accounts.Contains(account))
            yield return $"{where}: service account {account} is not among the manifests' ServiceAccounts";
    }

    private static IEnumerable<string> NameViolations(string where, string? name, int maxLength)
    {
        if (name is null || !DnsLabel().IsMatch(name) || name.Length > maxLength)
            yield return $"{where}: name '{name}' is not a DNS label of at most {maxLength} characters";
        else if (!name.StartsWith(NamePrefix, StringComparison.Ordinal))
            yield return $"{where}: name '{name}' does not start with '{NamePrefix}'";
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[^@\s]+@sha256:[0-9a-f]{64}$")]
    private static partial Regex PinnedImage();

    [GeneratedRegex("password|passwd|token|secret|auth|credential|key", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialName();
}
