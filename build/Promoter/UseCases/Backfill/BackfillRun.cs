using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;

namespace Promoter.Backfill;

/// <summary>
/// Backfill: every destination of a manifest's edge is a replica of the others. Observes them
/// (<see cref="ReplicaObserver"/>), compares them (<see cref="ReplicaComparison"/>, pure), lists per replica each missing or
/// differing item, and hands the repair edges - each from a healthy replica, never from the source registry - to the one
/// <see cref="PromotionPipeline"/> (plan, check, stop on a dry run, execute), so the plan file, the request budget and the
/// refusal invariant are the promotion's own: a tag on another digest is refused by the check phase and never written
/// (<c>Backfill/README.md</c>).
/// </summary>
public static class BackfillRun
{
    /// <summary>The pipeline policy of a Backfill run, from the caller's (its <see cref="PromotionPolicy.Confirm"/>, threads,
    /// log and plan output): attachments travel as explicit edges (no discovery, no merge), every clean edge is written and a
    /// refused one fails the run at its end, what is already in place is checked (a missing blob is written again), and a tag
    /// is never moved.</summary>
    public static PromotionPolicy Policy(PromotionPolicy caller) => caller with
    {
        AllowTagMoves = false,
        CopyAttachments = false,
        Signer = null,
        RequiredSignature = null,
        IsolateEdges = true,
        VerifyDestination = true,
        LostEdges = LostEdgePolicy.WarnAndSkip,
        ExpectedPlan = null,
        ExpectedPlanFile = null,
    };

    /// <summary>Compares the replicas of <paramref name="edges"/> and, when they differ, runs the pipeline on the repair edges
    /// (a dry run unless <paramref name="policy"/> confirms).</summary>
    /// <param name="registries">The run's registry clients.</param>
    /// <param name="edges">The manifests' edges; only their destinations are asked.</param>
    /// <param name="policy">The caller's policy; <see cref="Policy"/> makes Backfill's from it.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="RegistryException">A replica could not be asked or written.</exception>
    /// <exception cref="EdgesRefusedException">Confirmed, with a tag on another digest: the other edges were written, the
    /// refused one was not.</exception>
    public static async Task<BackfillResult> RunAsync(RegistryPool registries, IReadOnlyList<PromotionEdge> edges, PromotionPolicy policy,
        CancellationToken cancellationToken = default)
    {
        var log = policy.Log;
        var view = await new ReplicaObserver(registries, policy.PlanRequests).ObserveAsync(edges, cancellationToken);
        var comparison = ReplicaComparison.Compare(view);
        foreach (var line in Describe(view, comparison)) log?.Invoke(PromotionLogLevel.Information, line);
        if (comparison.Findings.Count == 0) return new BackfillResult(comparison, [], null);

        var repairs = ReplicaComparison.Edges(comparison.Findings);
        if (repairs.Count == 0) return new BackfillResult(comparison, repairs, null);
        log?.Invoke(PromotionLogLevel.Information, $"backfill: {repairs.Count} edge(s) from healthy replicas to the pipeline" +
                                                   (policy.Confirm ? "" : " (dry run)"));
        try
        {
            var outcome = await new PromotionPipeline(registries, Policy(policy)).RunAsync(_ => repairs, cancellationToken);
            return new BackfillResult(comparison, repairs, outcome);
        }
        catch (EdgesRefusedException refused) when (!policy.Confirm)
        {
            // A dry run with a tag on another digest: the plan is printed and the refusal is among the findings already.
            log?.Invoke(PromotionLogLevel.Information, refused.Message.Split('\n')[0].TrimEnd(':'));
            return new BackfillResult(comparison, repairs, null);
        }
    }

    /// <summary>The listing: one block per replica with findings (each item it lacks or holds otherwise), the items no
    /// replica holds, and a summary line.</summary>
    public static IEnumerable<string> Describe(ReplicaView view, ReplicaComparisonResult comparison)
    {
        foreach (var group in comparison.Findings.GroupBy(f => f.Replica, StringComparer.Ordinal))
        {
            yield return $"replica {group.Key}: {group.Count()} item(s) missing or differing";
            foreach (var finding in group) yield return $"  {finding}";
        }
        foreach (var item in comparison.InNoReplica)
            yield return $"in no replica: {item} (not a difference between replicas; Promote copies it from the source)";
        var findings = comparison.Findings;
        var damaged = findings.Select(f => f.Replica).Distinct(StringComparer.Ordinal).Count();
        yield return $"backfill: {view.Replicas.Count} replica(s), {view.Items.Count} item(s) compared; " +
                     (findings.Count == 0
                         ? "the replicas agree"
                         : $"{findings.Count} missing or differing in {damaged} replica(s): " +
                           $"{findings.Count(f => f.Action == BackfillAction.Copy)} to copy from a healthy replica, " +
                           $"{findings.Count(f => f.Action == BackfillAction.Refuse)} refused (a tag is never moved), " +
                           $"{findings.Count(f => f.Action == BackfillAction.NoHealthyReplica)} with no healthy replica");
    }
}
