namespace Promoter.Promotion.Engine;

/// <summary>Why a promotion that did not fail ended.</summary>
public enum PromotionStop
{
    /// <summary>A dry run: stopped at <see cref="PromotionPhase.Stop"/>, nothing written. Stopping is not failing.</summary>
    DryRun,
    /// <summary>Every phase ran; <see cref="PromotionOutcome.Counts"/> says what was written.</summary>
    Completed,
}
