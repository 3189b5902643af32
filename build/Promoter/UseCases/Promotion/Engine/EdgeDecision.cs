namespace Promoter.Promotion.Engine;

/// <summary>What the planner decided for one edge (upstream CIP's rules, build/Promoter/UseCases/Promotion/README.md).</summary>
public enum EdgeDecision
{
    /// <summary>The destination already holds the digest under the tag (or, tagless, holds the digest): nothing to do.</summary>
    AlreadyPromoted,
    /// <summary>The digest is missing in the destination: copy the image (and children), then tag it.</summary>
    Copy,
    /// <summary>The digest is in the destination without this tag: add the tag.</summary>
    AddTag,
    /// <summary>The tag points at another digest and tag moves are allowed: copy if needed, then move the tag.</summary>
    MoveTag,
    /// <summary>The tag points at another digest: refused; nothing is written for this edge.</summary>
    RefusedTagMove,
    /// <summary>The digest is not in the source repository ("LOST"): skipped with a warning, or refused, as the policy says.</summary>
    Lost,
    /// <summary>The destination tag is claimed by another edge with another digest ("overlapping edges"): refused, nothing
    /// is written for it. Only edges loaded with overlaps kept (<c>--isolate-edges</c>) get it; otherwise the load fails.</summary>
    RefusedOverlap,
    /// <summary>Refused for the reason <see cref="PlannedEdge.Reason"/> gives (an attachment that cannot be merged, a source
    /// digest without a required signature); the whole run is refused, as for a tag move.</summary>
    Refused,
}
