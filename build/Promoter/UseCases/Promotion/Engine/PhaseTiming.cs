namespace Promoter.Promotion.Engine;

/// <summary>How long a phase of a promotion took.</summary>
/// <param name="Phase">The phase.</param>
/// <param name="Took">Its duration.</param>
public sealed record PhaseTiming(PromotionPhase Phase, TimeSpan Took);
