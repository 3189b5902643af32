namespace Promoter.Promotion.Engine;

/// <summary>Receives the lines of a promotion's log.</summary>
/// <param name="level">How important the line is.</param>
/// <param name="line">One line of text, without a trailing newline.</param>
public delegate void PromotionLog(PromotionLogLevel level, string line);
