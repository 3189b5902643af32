using Promoter.Oci;

namespace Promoter.Promotion.Engine;

/// <summary>One edge and what will be done for it.</summary>
/// <param name="Edge">The edge from the manifests.</param>
/// <param name="Decision">The planner's decision.</param>
/// <param name="DigestInDestination">Whether the destination repository already holds the digest.</param>
/// <param name="CurrentDigest">For tag moves: the digest the destination tag points at now; for overlaps: the other digest
/// claiming the tag.</param>
/// <param name="Reason">For <see cref="EdgeDecision.Refused"/>: why, in one line.</param>
public sealed record PlannedEdge(PromotionEdge Edge, EdgeDecision Decision, bool DigestInDestination, Digest? CurrentDigest, string? Reason = null)
{
    /// <summary>The digest this edge's manifest refers to when it carries an attachment (a cosign <c>.sig</c>/<c>.att</c>/<c>.sbom</c>
    /// tag, a referrer or a referrers index) of another digest; null for an image's own edge.</summary>
    public Digest? Subject { get; init; }

    /// <summary>For a <see cref="EdgeDecision.Refused"/> edge: true when the refusal covers the edge's digest in its destination
    /// repository (an unsigned source digest: nothing may write that digest, its tags or what refers to it there), false when it
    /// covers only the edge's own tag (an attachment tag that cannot be merged).</summary>
    public bool RefusesDigest { get; init; }

    /// <summary>True for a decision that refuses the edge: a refused tag move or overlap, and a lost edge when
    /// <paramref name="lostIsRefused"/> (<c>--require-source</c>, <see cref="LostEdgePolicy.Fail"/>).</summary>
    public bool IsRefused(bool lostIsRefused) =>
        Decision is EdgeDecision.RefusedTagMove or EdgeDecision.RefusedOverlap or EdgeDecision.Refused || (lostIsRefused && Decision == EdgeDecision.Lost);

    /// <summary>True when the edge writes something if executed: a copy, a new tag or a moved tag.</summary>
    public bool Writes => Decision is EdgeDecision.Copy or EdgeDecision.AddTag or EdgeDecision.MoveTag;

    /// <summary>One line for the plan listing, e.g. <c>COPY  src/foo@sha256:… -> dst/foo:1.0</c>.</summary>
    public override string ToString() => Decision switch
    {
        EdgeDecision.AlreadyPromoted => $"ok    {Edge}",
        EdgeDecision.Copy => $"COPY  {Edge}",
        EdgeDecision.AddTag => $"TAG   {Edge}",
        EdgeDecision.MoveTag => $"MOVE  {Edge} (tag was on {CurrentDigest})",
        EdgeDecision.RefusedTagMove => $"REFUSED tag move: {Edge.DestinationReference()} points at {CurrentDigest}, not {Edge.Digest}",
        EdgeDecision.Lost => $"LOST  {Edge.SourceReference()} is not in the source registry",
        EdgeDecision.RefusedOverlap => $"REFUSED overlapping edge: {Edge.DestinationReference()} is claimed by {Edge.Digest} and by {CurrentDigest}",
        EdgeDecision.Refused => $"REFUSED {Reason}",
        _ => Edge.ToString(),
    };
}
