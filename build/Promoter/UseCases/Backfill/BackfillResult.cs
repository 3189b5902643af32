using Promoter.Promotion;
using Promoter.Promotion.Engine;

namespace Promoter.Backfill;

/// <summary>What a Backfill run found and did.</summary>
/// <param name="Comparison">The findings per replica, and what no replica holds.</param>
/// <param name="Edges">The repair edges handed to the pipeline (each from a healthy replica); empty when nothing differs.</param>
/// <param name="Outcome">The pipeline's outcome (a dry run or completed); null when nothing differs (the pipeline did not run).</param>
public sealed record BackfillResult(ReplicaComparisonResult Comparison, IReadOnlyList<PromotionEdge> Edges, PromotionOutcome? Outcome)
{
    /// <summary>The findings no run of Backfill can repair: tags on another digest, items no healthy replica holds.</summary>
    public IReadOnlyList<ReplicaFinding> Unrepaired => Comparison.Findings.Where(f => f.Action != BackfillAction.Copy).ToList();
}
