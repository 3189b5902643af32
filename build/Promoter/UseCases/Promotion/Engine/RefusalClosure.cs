using Promoter.Oci;

namespace Promoter.Promotion.Engine;

/// <summary>
/// The refusal invariant as a pure function over a plan: a refused edge is never written, and neither is anything that
/// depends on it. Within one destination repository, a refusal that covers a digest (<see cref="PlannedEdge.RefusesDigest"/>:
/// an unsigned source; a lost source under <c>--require-source</c>) refuses every edge that would write that digest (its
/// other tags), every attachment that refers to it (cosign tags, referrers, a referrers index, merged or new signatures),
/// every index that lists it, and the children of a refused index - until nothing more changes. A refusal that covers only a
/// tag (a tag move, an overlap, an SBOM that cannot be merged) refuses that tag alone.
/// </summary>
/// <remarks>
/// The closure runs at the end of the plan phase, so the plan that is printed, saved (<c>--plan-out</c>) and checked is the
/// closed one; <see cref="PromotionPlan.Fence"/> then names what the executor must refuse to write, whatever the policy
/// (<c>--isolate-edges</c> executes a plan that still holds its refusals). Edges that write nothing (already promoted) are
/// left as they are: there is nothing of theirs to refuse.
/// </remarks>
public static class RefusalClosure
{
    /// <summary>The plan with every dependant of a refused edge refused too, and every attachment write of a refused digest
    /// turned into a refused edge (appended after the plan's edges); the plan itself when nothing is refused.</summary>
    /// <param name="plan">The plan as the planners decided it.</param>
    /// <param name="lostIsRefused">True under <c>--require-source</c>: a lost edge refuses its digest.</param>
    /// <param name="registryKey">Maps a registry host to the key its repositories are told apart by (the resolved address,
    /// so two names of one registry are one); the name itself when null.</param>
    public static PromotionPlan Close(PromotionPlan plan, bool lostIsRefused, Func<string, string>? registryKey = null)
    {
        var edges = plan.Edges;
        if (!edges.Any(e => e.IsRefused(lostIsRefused) && CoversDigest(e, lostIsRefused))) return plan;

        var key = registryKey ?? (name => name);
        var blocked = new Dictionary<(string Registry, string Repository, Digest Digest), string>();
        var closed = edges.ToArray();
        var repositories = new (string, string)[closed.Length];
        for (var i = 0; i < closed.Length; i++)
        {
            var destination = closed[i].Edge.DestinationReference();
            repositories[i] = (key(destination.Registry), destination.Repository);
        }

        bool Block((string Registry, string Repository) repository, Digest digest, string why)
        {
            if (!blocked.TryAdd((repository.Registry, repository.Repository, digest), why)) return false;
            if (plan.IndexChildren.TryGetValue(digest, out var children))
                foreach (var child in children) Block(repository, child, $"a child of the refused index {digest}");
            return true;
        }

        for (var i = 0; i < closed.Length; i++)
            if (closed[i].IsRefused(lostIsRefused) && CoversDigest(closed[i], lostIsRefused))
                Block(repositories[i], Digest.Parse(closed[i].Edge.Digest), $"refused ({Cause(closed[i])})");

        var changed = true;
        while (changed)
        {
            changed = false;
            for (var i = 0; i < closed.Length; i++)
            {
                var edge = closed[i];
                if (!edge.Writes) continue;
                var repository = repositories[i];
                var digest = Digest.Parse(edge.Edge.Digest);
                string? reason = null;
                if (blocked.TryGetValue((repository.Item1, repository.Item2, digest), out var why))
                    reason = $"would write {digest}, which is {why}";
                else if (edge.Subject is { } subject && blocked.TryGetValue((repository.Item1, repository.Item2, subject), out why))
                    reason = $"refers to {subject}, which is {why}";
                else if (plan.IndexChildren.TryGetValue(digest, out var children))
                    foreach (var child in children)
                        if (blocked.TryGetValue((repository.Item1, repository.Item2, child), out why))
                        {
                            reason = $"is an index listing {child}, which is {why}";
                            break;
                        }
                if (reason is null) continue;
                closed[i] = Dependant(edge, reason);
                Block(repository, digest, $"refused (a dependant of a refusal: {edge.Edge.DestinationReference()})");
                changed = true;
            }
        }

        var writes = new List<AttachmentWrite>();
        var refusedWrites = new List<PlannedEdge>();
        foreach (var write in plan.AttachmentWrites)
        {
            var repository = (key(write.Destination.Registry), write.Destination.Repository);
            if (write.Subject is { } subject && blocked.TryGetValue((repository.Item1, repository.Item2, subject), out var why))
            {
                var edge = new PromotionEdge(write.BlobSource.Registry, write.BlobSource.Repository, write.Built.Manifest.Digest.Value,
                    write.Destination.Registry, write.Destination.Repository, write.Destination.Tag);
                refusedWrites.Add(Dependant(new PlannedEdge(edge, EdgeDecision.Copy, false, null) { Subject = subject },
                    $"refers to {subject}, which is {why} (not written: {write.What})"));
            }
            else writes.Add(write);
        }

        return new PromotionPlan([.. closed, .. refusedWrites], writes)
        {
            Unserved = plan.Unserved,
            NewRepositories = plan.NewRepositories,
            SourceMediaTypes = plan.SourceMediaTypes,
            IndexChildren = plan.IndexChildren,
        };
    }

    /// <summary>True when <paramref name="edge"/>'s refusal covers its digest, not only its tag.</summary>
    private static bool CoversDigest(PlannedEdge edge, bool lostIsRefused) =>
        edge.RefusesDigest || (lostIsRefused && edge.Decision == EdgeDecision.Lost);

    private static string Cause(PlannedEdge edge) => edge.Decision == EdgeDecision.Lost
        ? "missing from the source under --require-source"
        : edge.Reason is { } reason && reason.IndexOf(':') is > 0 and var colon ? reason[..colon] : "refused";

    private static PlannedEdge Dependant(PlannedEdge edge, string reason) => edge with
    {
        Decision = EdgeDecision.Refused,
        RefusesDigest = true,
        Reason = $"dependant: {edge.Edge.DestinationReference()} {reason}",
    };
}
