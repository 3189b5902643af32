using Promoter.Promotion.Engine;

namespace Promoter.Promotion.Checks;

/// <summary>What an offline check says of an edge.</summary>
public enum SnapshotVerdict
{
    /// <summary>The snapshots already show it (<see cref="EdgeDecision.AlreadyPromoted"/>).</summary>
    Unchanged,
    /// <summary>The promotion would write it (a copy, a new tag, or a tag move allowed by <c>--allow-tag-moves</c>).</summary>
    New,
    /// <summary>Refused: a tag move, an overlapping edge, a digest the source's snapshot lacks, or a destination no snapshot covers.</summary>
    Refused,
}
