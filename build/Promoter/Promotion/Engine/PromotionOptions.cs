namespace Promoter.Promotion.Engine;

/// <summary>How a promotion runs.</summary>
public sealed record PromotionOptions
{
    /// <summary>Move a destination tag that points at another digest (refused by default, as upstream).</summary>
    public bool AllowTagMoves { get; init; }

    /// <summary>How many registry operations run at once (upstream's <c>--threads</c>); at least 1.</summary>
    public int Threads { get; init; } = 8;
}
