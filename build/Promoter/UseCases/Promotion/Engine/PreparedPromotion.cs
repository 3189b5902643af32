namespace Promoter.Promotion.Engine;

/// <summary>A promotion ready to run: where its edges come from and the policy it runs with.</summary>
/// <param name="Load">Loads the edges (the pipeline's load phase).</param>
/// <param name="Policy">How the pipeline runs.</param>
public sealed record PreparedPromotion(EdgeLoader Load, PromotionPolicy Policy);
