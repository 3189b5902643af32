namespace Cake.ImagePromoter;

/// <summary>One refused edge of a promotion and why.</summary>
/// <param name="Edge">The edge, <c>source@digest -> destination:tag</c>.</param>
/// <param name="Decision">The planner's decision: <c>RefusedTagMove</c>, <c>RefusedOverlap</c>, <c>Lost</c> or <c>Refused</c>.</param>
/// <param name="Reason">The plan's line for it, e.g. <c>REFUSED tag move: dst/foo:1.0 points at sha256:…, not sha256:…</c>.</param>
public sealed record RefusedEdge(string Edge, string Decision, string Reason);
