namespace Promoter.Promotion.Engine;

/// <summary>
/// Under <c>--isolate-edges</c>: every clean edge was promoted (or, in a dry run, would be), and these edges were refused
/// (tag moves, overlapping edges, and lost sources under <c>--require-source</c>). The run fails at its end so CI sees it.
/// </summary>
public sealed class EdgesRefusedException : PromoterRefusalException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="refused">The refused edges, in plan order; at least one.</param>
    /// <param name="counts">What the clean edges wrote; <see cref="PromotionCounts.None"/> for a dry run.</param>
    /// <param name="dryRun">True when nothing was written because the run was a dry run.</param>
    public EdgesRefusedException(IReadOnlyList<PlannedEdge> refused, PromotionCounts counts, bool dryRun)
        : base($"{refused.Count} edge(s) refused; " +
               (dryRun ? "the dry run stopped before writing the other edges" : $"the other edges were promoted ({counts})") +
               ":\n  " + string.Join("\n  ", refused))
    {
        Refused = refused;
        Counts = counts;
    }

    /// <summary>The refused edges, in plan order.</summary>
    public IReadOnlyList<PlannedEdge> Refused { get; }

    /// <summary>What the clean edges wrote.</summary>
    public PromotionCounts Counts { get; }
}
