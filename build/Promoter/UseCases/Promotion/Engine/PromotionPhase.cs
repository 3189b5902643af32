namespace Promoter.Promotion.Engine;

/// <summary>The named phases of a <see cref="PromotionPipeline"/>, in the order they run.</summary>
public enum PromotionPhase
{
    /// <summary>Read the manifests and compute the edges.</summary>
    Load,
    /// <summary>Decide every edge with HEAD requests (nothing is written).</summary>
    Plan,
    /// <summary>Refuse tag moves (unless allowed) and, by policy, lost edges; warn about skipped lost edges.</summary>
    Check,
    /// <summary>End a dry run here, successfully.</summary>
    Stop,
    /// <summary>Copy the missing digests, then write the tags.</summary>
    Execute,
}
