namespace Promoter.Promotion.Engine;

/// <summary>
/// The check phase refused a promotion before anything was written: a destination tag points at another digest (and
/// tag moves are not allowed), or, under <see cref="LostEdgePolicy.Fail"/>, a digest is missing from the source.
/// The message's first line sums up; then one line per refused edge, as the plan prints it.
/// </summary>
public sealed class PromotionRefusedException : PromoterRefusalException
{
    /// <summary>Creates the exception for <paramref name="refused"/> (tag moves and lost edges, in plan order).</summary>
    /// <param name="refused">The edges that make the promotion impossible; at least one.</param>
    public PromotionRefusedException(IReadOnlyList<PlannedEdge> refused) : base(Describe(refused)) => Refused = refused;

    /// <summary>The refused edges, in plan order; their <see cref="PlannedEdge.Decision"/> says why.</summary>
    public IReadOnlyList<PlannedEdge> Refused { get; }

    private static string Describe(IReadOnlyList<PlannedEdge> refused)
    {
        var moves = refused.Count(e => e.Decision == EdgeDecision.RefusedTagMove);
        var lost = refused.Count(e => e.Decision == EdgeDecision.Lost);
        var other = refused.Count(e => e.Decision == EdgeDecision.Refused);
        var reasons = new List<string>();
        if (moves > 0) reasons.Add($"{moves} tag move(s) refused");
        if (lost > 0) reasons.Add($"{lost} edge(s) name digests missing from the source");
        if (other > 0) reasons.Add($"{other} edge(s) refused (signatures, attachments or what depends on a refused edge)");
        return $"{string.Join(" and ", reasons)}; nothing was promoted:\n  " + string.Join("\n  ", refused);
    }
}
