using Cake.Core;
using Cake.Core.Annotations;

namespace Build.Tools.Kubectl;

/// <summary>
/// Cake aliases for the kubectl commands PromoteOnCluster uses, named as the Cake.Kubectl addin names them
/// (<c>KubectlKustomize</c>, <c>KubectlApply</c>, <c>KubectlDiff</c>, <c>KubectlWait</c>, <c>KubectlLogs</c>, <c>KubectlGet</c>).
/// Exit codes follow kubectl's own: <c>diff</c> 0 = no differences, 1 = differences, above 1 = error; <c>wait</c> 1 with
/// "timed out waiting for the condition" = not met in time.
/// </summary>
[CakeAliasCategory("Kubectl")]
public static class KubectlAliases
{
    private static KubectlTool Tool(ICakeContext context) =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools, context.Log);

    /// <summary><c>kubectl kustomize &lt;directory&gt;</c>: the kustomization rendered offline, as multi-document YAML.</summary>
    /// <exception cref="CakeException">kubectl fails (the message carries its error).</exception>
    [CakeMethodAlias]
    public static string KubectlKustomize(this ICakeContext context, string directory, KubectlSettings? settings = null) =>
        Tool(context).Run("kustomize", settings ?? new(), a => a.AppendQuoted(directory)).Output;

    /// <summary>
    /// <c>kubectl apply --server-side --field-manager=&lt;manager&gt; [--force-conflicts] --filename &lt;file&gt;</c>: server-side
    /// apply, the fields owned by <paramref name="fieldManager"/>; returns kubectl's lines (<c>job.batch/x serverside-applied</c>).
    /// </summary>
    /// <exception cref="CakeException">kubectl fails (e.g. a field conflict with another manager, an immutable field).</exception>
    [CakeMethodAlias]
    public static IReadOnlyList<string> KubectlApply(this ICakeContext context, string file, string fieldManager, bool forceConflicts = false,
        KubectlSettings? settings = null) =>
        Lines(Tool(context).Run("apply", settings ?? new(), a =>
        {
            a.Append("--server-side").Append($"--field-manager={fieldManager}");
            if (forceConflicts) a.Append("--force-conflicts");
            a.Append("--filename").AppendQuoted(file);
        }).Output);

    /// <summary>
    /// <c>kubectl diff --server-side --field-manager=&lt;manager&gt; --filename &lt;file&gt;</c>: what applying would change;
    /// returns the diff (empty when kubectl exits 0, nothing would change; kubectl exits 1 when there are differences).
    /// </summary>
    /// <exception cref="CakeException">kubectl exits above 1 (an error, not a difference).</exception>
    [CakeMethodAlias]
    public static string KubectlDiff(this ICakeContext context, string file, string fieldManager, KubectlSettings? settings = null)
    {
        var result = Tool(context).Run("diff", settings ?? new(),
            a => a.Append("--server-side").Append($"--field-manager={fieldManager}").Append("--filename").AppendQuoted(file),
            accept: code => code is 0 or 1);
        return result.ExitCode == 0 ? "" : result.Output;
    }

    /// <summary>
    /// <c>kubectl wait --for=&lt;condition&gt; &lt;resource&gt; --timeout=&lt;seconds&gt;s</c>, e.g. <c>--for=condition=complete
    /// job/x</c>: true when the condition holds within the timeout (0 s: check once), false when kubectl timed out.
    /// </summary>
    /// <exception cref="CakeException">Any other failure (the resource does not exist, no API server, ...).</exception>
    [CakeMethodAlias]
    public static bool KubectlWait(this ICakeContext context, string resource, string condition, TimeSpan timeout, KubectlSettings? settings = null)
    {
        var result = Tool(context).Run("wait", settings ?? new(),
            a => a.Append($"--for={condition}").AppendQuoted(resource).Append($"--timeout={(long)timeout.TotalSeconds}s"),
            accept: code => code is 0 or 1);
        if (result.ExitCode == 0) return true;
        if (result.Error.Contains("timed out waiting for the condition", StringComparison.Ordinal)) return false;
        throw new CakeException(result.ExitCode, $"kubectl wait --for={condition} {resource}: exit code 1: {result.Error}");
    }

    /// <summary><c>kubectl logs &lt;pod&gt; [--container C]</c>: the pod's log.</summary>
    /// <exception cref="CakeException">kubectl fails (no such pod, the log is gone).</exception>
    [CakeMethodAlias]
    public static string KubectlLogs(this ICakeContext context, string pod, string? container = null, KubectlSettings? settings = null) =>
        Tool(context).Run("logs", settings ?? new(), a =>
        {
            a.AppendQuoted(pod);
            if (container is not null) a.Append("--container").AppendQuoted(container);
        }).Output;

    /// <summary><c>kubectl get &lt;resource&gt; [--selector S] --output json</c>: the object or list as JSON.</summary>
    /// <exception cref="CakeException">kubectl fails.</exception>
    [CakeMethodAlias]
    public static string KubectlGet(this ICakeContext context, string resource, string? selector = null, KubectlSettings? settings = null) =>
        Tool(context).Run("get", settings ?? new(), a =>
        {
            a.AppendQuoted(resource);
            if (selector is not null) a.Append("--selector").AppendQuoted(selector);
            a.Append("--output").Append("json");
        }).Output;

    private static IReadOnlyList<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
