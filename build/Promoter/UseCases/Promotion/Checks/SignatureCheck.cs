using Promoter.Attachments;
using Promoter.Registry;
using Promoter.Promotion.Engine;

namespace Promoter.Promotion.Checks;

/// <summary>
/// kpromo's <c>sigcheck</c>: for the edges of promoter manifests, every destination digest whose cosign signatures
/// (<c>sha256-&lt;hex&gt;.sig</c>) are missing, or lack signature layers the source's hold; with <c>confirm</c>, copies the
/// missing signature manifests by digest and merges the differing ones (the rules of <see cref="PromotionPolicy.CopyAttachments"/>,
/// <c>Attachments/README.md</c>). Only signatures are written; images and their tags are not touched.
/// </summary>
public static class SignatureCheck
{
    /// <summary>Checks (and with <paramref name="confirm"/>, fixes) the signatures of <paramref name="edges"/>' destination digests.</summary>
    /// <exception cref="RegistryException">A registry failed.</exception>
    /// <exception cref="FormatException">A signature manifest in a registry is malformed.</exception>
    public static async Task<SignatureCheckResult> RunAsync(RegistryPool registries, IReadOnlyList<PromotionEdge> edges, bool confirm, int threads,
        PromotionLog? log = null, CancellationToken cancellationToken = default)
    {
        var policy = new PromotionPolicy { Threads = threads, CopyAttachments = true, Log = log };
        var tagless = edges.Select(e => e with { Tag = null }).Distinct().ToList();
        var plan = await new PromotionPlanner(registries, policy).PlanAsync(tagless, cancellationToken);
        var present = plan.Edges.Where(e => e.Decision == EdgeDecision.AlreadyPromoted).ToList();
        var extended = await new AttachmentPlanner(registries, policy).ExtendAsync(new PromotionPlan(present), cancellationToken);

        static bool IsSignature(string? tag) => tag is not null && AttachmentTags.TryParse(tag, out _, out var kind) && kind == AttachmentKind.Signature;
        var copies = extended.Edges.Skip(present.Count)
            .Where(e => IsSignature(e.Edge.Tag) && e.Decision is EdgeDecision.Copy or EdgeDecision.AddTag).ToList();
        var merges = extended.AttachmentWrites.Where(w => IsSignature(w.Destination.Tag)).ToList();
        var findings = copies.Select(e => $"MISSING {e.Edge.DestinationReference()} (the source has {e.Edge.SourceReference()})")
            .Concat(merges.Select(w => $"DIFFERS {w.Destination}: {w.What}"))
            .ToList();
        foreach (var line in findings) log?.Invoke(PromotionLogLevel.Information, line);
        log?.Invoke(PromotionLogLevel.Information,
            $"signature check: {present.Count} destination digest(s) checked, {findings.Count} with missing or differing signatures, " +
            $"{plan.Edges.Count - present.Count} not promoted yet");
        var fix = confirm && findings.Count > 0;
        if (fix)
        {
            var executor = new PromotionExecutor(registries, threads, line => log?.Invoke(PromotionLogLevel.Detail, line));
            var counts = await executor.ExecuteAsync(new PromotionPlan(copies, merges), cancellationToken);
            log?.Invoke(PromotionLogLevel.Information, $"signatures fixed: {counts}");
        }
        return new SignatureCheckResult(present.Count, findings, plan.Edges.Count - present.Count, fix);
    }
}
