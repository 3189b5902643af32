namespace Promoter.Promotion.Engine;

/// <summary>How a promotion that did not fail ended (a failure is an exception; a refusal is a <see cref="PromotionRefusedException"/>).</summary>
/// <param name="Stop">Why it ended: a dry run, or completed.</param>
/// <param name="Phases">The phases that ran, in order; the last is where it stopped.</param>
/// <param name="Plan">The plan (every edge's decision).</param>
/// <param name="Counts">What was written; <see cref="PromotionCounts.None"/> for a dry run.</param>
public sealed record PromotionOutcome(PromotionStop Stop, IReadOnlyList<PromotionPhase> Phases, PromotionPlan Plan, PromotionCounts Counts)
{
    /// <summary>The phase the run stopped at (<see cref="PromotionPhase.Stop"/> for a dry run, <see cref="PromotionPhase.Execute"/> otherwise).</summary>
    public PromotionPhase StoppedAt => Phases[^1];
}
