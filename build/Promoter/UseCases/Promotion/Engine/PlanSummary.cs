namespace Promoter.Promotion.Engine;

/// <summary>
/// A plan in a bounded number of lines, for the default output of a promotion whose plan may hold 300,000 edges: the
/// refusals first, each in full (as the plan lists it), then one line per destination registry and one per image with
/// its edges counted by decision, then the plan's totals line. Whatever does not fit ends in one
/// <c>... and N more</c> line; the full list is the plan's own listing (<see cref="PromotionPlan.Describe"/>).
/// </summary>
public static class PlanSummary
{
    /// <summary>The summary of <paramref name="plan"/> in at most <paramref name="maxLines"/> lines (at least 4).</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="maxLines">The most lines returned; below 4 counts as 4.</param>
    /// <param name="fullListHint">Where the full list is (e.g. <c>--plan-out</c>), added to each "and N more" line; null for none.</param>
    public static IReadOnlyList<string> Lines(PromotionPlan plan, int maxLines, string? fullListHint = null)
    {
        maxLines = Math.Max(4, maxLines);
        var hint = fullListHint is null ? "" : $"; the full list is in {fullListHint}";
        var lines = new List<string>();
        // The totals line, and the egress and quota lines after it (a quarter of the lines at most).
        var footer = Fit(plan.Footer.ToList(), maxLines / 4, n => $"... and {n} more egress or quota line(s){hint}");
        var room = maxLines - 1 - footer.Count;

        var refusals = plan.Refusals.Select(e => e.ToString()).ToList();
        var shown = Fit(refusals, room, n => $"... and {n} more refused edge(s){hint}");
        lines.AddRange(shown);
        room -= shown.Count;

        var destinations = plan.Edges.GroupBy(e => e.Edge.DestinationRegistry, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"destination {g.Key} ({Count(g.Select(e => e.Edge.DestinationImage).Distinct(StringComparer.Ordinal).Count(), "image")}): {Counts(g)}")
            .ToList();
        var images = plan.Edges.GroupBy(e => e.Edge.DestinationImage, StringComparer.Ordinal)
            .OrderBy(g => Rank(g))
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"image {g.Key} ({Count(g.Select(e => e.Edge.DestinationRegistry).Distinct(StringComparer.Ordinal).Count(), "destination")}): {Counts(g)}")
            .ToList();
        // Destinations are few and say most; half the room at least, then the images fill the rest.
        var destinationRoom = images.Count == 0 ? room : Math.Min(destinations.Count, Math.Max(room / 2, room - images.Count));
        shown = Fit(destinations, destinationRoom, n => $"... and {n} more destination(s){hint}");
        lines.AddRange(shown);
        room -= shown.Count;
        lines.AddRange(Fit(images, room, n => $"... and {n} more image(s){hint}"));

        lines.Add(plan.Totals);
        lines.AddRange(footer);
        return lines;
    }

    /// <summary>
    /// <paramref name="all"/> when it fits in <paramref name="room"/> lines; otherwise the first <c>room - 1</c> and one
    /// line from <paramref name="more"/> for the rest (nothing when there is no room at all).
    /// </summary>
    internal static IReadOnlyList<string> Fit(IReadOnlyList<string> all, int room, Func<int, string> more)
    {
        if (all.Count <= room) return all;
        if (room <= 0) return [];
        return [.. all.Take(room - 1), more(all.Count - (room - 1))];
    }

    /// <summary>Images with a refused or lost edge first, then those that write, then those with nothing to do.</summary>
    private static int Rank(IEnumerable<PlannedEdge> edges)
    {
        var rank = 2;
        foreach (var edge in edges)
        {
            if (edge.IsRefused(lostIsRefused: true)) return 0;
            if (edge.Writes) rank = 1;
        }
        return rank;
    }

    /// <summary>The edges counted by decision, e.g. <c>3 to copy, 1 already promoted</c> (decisions with none left out).</summary>
    internal static string Counts(IEnumerable<PlannedEdge> edges)
    {
        int copy = 0, tag = 0, move = 0, already = 0, refused = 0, lost = 0;
        foreach (var edge in edges)
        {
            switch (edge.Decision)
            {
                case EdgeDecision.Copy: copy++; break;
                case EdgeDecision.AddTag: tag++; break;
                case EdgeDecision.MoveTag: move++; break;
                case EdgeDecision.AlreadyPromoted: already++; break;
                case EdgeDecision.Lost: lost++; break;
                default: refused++; break;
            }
        }
        var parts = new List<string>();
        if (refused > 0) parts.Add($"{refused} refused");
        if (lost > 0) parts.Add($"{lost} lost");
        if (copy > 0) parts.Add($"{copy} to copy");
        if (tag > 0) parts.Add($"{tag} to tag");
        if (move > 0) parts.Add($"{move} tag move(s)");
        if (already > 0) parts.Add($"{already} already promoted");
        return string.Join(", ", parts);
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
