using Promoter.Yaml;
using Promoter.Promotion.Engine;

namespace Promoter.Promotion.Checks;

/// <summary>One edge checked against the snapshots.</summary>
/// <param name="Planned">The decision of <see cref="PromotionRules"/> on the view the snapshots give.</param>
/// <param name="Verdict">Unchanged, new or refused.</param>
/// <param name="SourceKnown">A snapshot covers the edge's source repository; when false the digest was taken as present.</param>
/// <param name="Evidence">The snapshot line the decision rests on (the destination tag's current digest, the source's snapshot
/// of a lost digest), when there is one.</param>
public sealed record SnapshotCheckedEdge(PlannedEdge Planned, SnapshotVerdict Verdict, bool SourceKnown, SourceLocation? Evidence)
{
    /// <summary>One line for the listing, after the manifest's <c>file:line: </c>: the plan's line, and for a refusal the
    /// snapshot it rests on.</summary>
    public string Describe() => Planned.Decision switch
    {
        EdgeDecision.RefusedTagMove => $"{Planned} (snapshot {Evidence})",
        EdgeDecision.MoveTag => $"new: {Planned} (snapshot {Evidence})",
        EdgeDecision.Lost => $"REFUSED lost digest: {Planned.Edge.SourceReference()} is not in the source's snapshot ({Evidence})",
        _ when Verdict == SnapshotVerdict.New => $"new: {Planned}",
        _ => Planned.ToString(),
    };
}
