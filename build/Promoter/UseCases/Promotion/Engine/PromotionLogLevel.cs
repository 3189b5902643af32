namespace Promoter.Promotion.Engine;

/// <summary>How important a line of a promotion's log is.</summary>
public enum PromotionLogLevel
{
    /// <summary>The plan, the dry-run stop, the counts of what was written.</summary>
    Information,
    /// <summary>Thin-directory warnings, skipped lost edges.</summary>
    Warning,
    /// <summary>Each copy and tag written, each phase's duration.</summary>
    Detail,
}
