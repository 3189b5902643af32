namespace Promoter.Promotion.Engine;

/// <summary>What the check phase does with an edge whose digest is missing from the source (a "lost" edge).</summary>
public enum LostEdgePolicy
{
    /// <summary>Warn and promote the other edges (upstream CIP's behaviour; Promote and E2E).</summary>
    WarnAndSkip,
    /// <summary>Refuse the whole promotion before anything is written (PromoteRelease: staging must hold every image).</summary>
    Fail,
}
