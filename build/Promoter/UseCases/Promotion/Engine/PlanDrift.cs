namespace Promoter.Promotion.Engine;

/// <summary>
/// Compares a reviewed plan (<c>--plan=FILE</c>) with a fresh plan of the same edges, edge by edge, before anything is
/// written. An edge is unchanged when its decision and the tag's digest are the same; a planned write that the registries
/// have meanwhile made (ALREADY now, or TAG now instead of COPY) is converged and logged. Anything else is drift: a source
/// digest gone, a tag now on another digest, an edge the plan left alone that would now be written, a tag move without
/// <c>--allow-tag-moves</c>.
/// </summary>
internal static class PlanDrift
{
    /// <summary>Checks <paramref name="now"/> against <paramref name="expected"/> (same edges, same order).</summary>
    /// <exception cref="PlanDriftException">At least one edge drifted (each named).</exception>
    /// <exception cref="InvalidOperationException">A programming error: the two plans hold different edges.</exception>
    public static void Check(PromotionPlan expected, PromotionPlan now, PromotionPolicy policy, string planFile, Action<string> log)
    {
        if (expected.Edges.Count != now.Edges.Count)
            throw new InvalidOperationException("the fresh plan does not hold the reviewed plan's edges.");
        var drifted = new List<string>();
        for (var i = 0; i < now.Edges.Count; i++)
        {
            var (was, @is) = (expected.Edges[i], now.Edges[i]);
            if (was.Edge != @is.Edge) throw new InvalidOperationException($"edge {i} differs between the reviewed and the fresh plan.");
            if (was.Decision == @is.Decision && was.CurrentDigest == @is.CurrentDigest) continue;
            var destination = was.Edge.DestinationReference();
            if (was.Decision == EdgeDecision.MoveTag && !policy.AllowTagMoves)
            {
                drifted.Add($"{destination}: the plan moves the tag from {was.CurrentDigest}; execute it with --allow-tag-moves");
                continue;
            }
            var write = was.Decision is EdgeDecision.Copy or EdgeDecision.AddTag or EdgeDecision.MoveTag;
            if (write && (@is.Decision == EdgeDecision.AlreadyPromoted || (was.Decision == EdgeDecision.Copy && @is.Decision == EdgeDecision.AddTag)))
            {
                log($"converged since the plan: {destination} ({PlanReport.Action(was.Decision)} planned, {PlanReport.Action(@is.Decision)} now)");
                continue;
            }
            drifted.Add($"{destination}: planned {PlanReport.Action(was.Decision)}{Saw(was)}, now {Now(@is)}");
        }
        if (drifted.Count > 0) throw new PlanDriftException(planFile, drifted);
    }

    private static string Saw(PlannedEdge edge) => edge.Decision switch
    {
        EdgeDecision.Copy or EdgeDecision.AddTag when edge.Edge.Tag is not null => " (the tag was absent)",
        EdgeDecision.MoveTag or EdgeDecision.RefusedTagMove => $" (the tag was on {edge.CurrentDigest})",
        _ => "",
    };

    private static string Now(PlannedEdge edge) => edge.Decision switch
    {
        EdgeDecision.Lost => $"the source digest is gone ({edge.Edge.SourceReference()})",
        EdgeDecision.RefusedTagMove or EdgeDecision.MoveTag => $"the tag points at {edge.CurrentDigest} (moved since the plan)",
        EdgeDecision.Copy => "the digest is missing in the destination (COPY)",
        EdgeDecision.AddTag => "the digest is there without the tag (TAG)",
        EdgeDecision.AlreadyPromoted => "already promoted (ALREADY)",
        _ => edge.ToString(),
    };
}
