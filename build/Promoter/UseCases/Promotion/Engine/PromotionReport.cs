using System.Globalization;
using Promoter.Registry;
using Promoter.Reporting;

namespace Promoter.Promotion.Engine;

/// <summary>
/// Builds the <see cref="RunReport"/> of one promotion (for <see cref="HtmlReport"/> and <see cref="MarkdownReport"/>) from
/// what the run left: its plan (null when it failed before planning), its outcome or the exception that ended it (a
/// refused run throws: <see cref="PromotionRefusedException"/>, <see cref="EdgesRefusedException"/>), its progress
/// (timings, bytes) and its registry traffic.
/// </summary>
public static class PromotionReport
{
    /// <summary>The report of one run.</summary>
    /// <param name="title">The page title.</param>
    /// <param name="plan">The plan, or null when the run ended before planning.</param>
    /// <param name="outcome">The outcome, or null when the run threw.</param>
    /// <param name="failure">What the run threw, or null.</param>
    /// <param name="confirmed">True when the run was to write (not a dry run).</param>
    /// <param name="progress">The run's progress (timings and bytes); null for none.</param>
    /// <param name="traffic">Requests per registry host.</param>
    /// <param name="now">When the report is made.</param>
    public static RunReport Build(string title, PromotionPlan? plan, PromotionOutcome? outcome, Exception? failure, bool confirmed,
        PromotionProgress? progress, IReadOnlyList<HostTraffic> traffic, DateTimeOffset now)
    {
        // Clean edges were written when the run completed, or when it promoted them and then failed on isolated refusals.
        var written = outcome?.Stop == PromotionStop.Completed || (failure is EdgesRefusedException && confirmed);
        var refused = failure switch
        {
            PromotionRefusedException e => e.Refused,
            EdgesRefusedException e => e.Refused,
            _ => plan?.Refusals ?? [],
        };
        var refusedSet = refused.ToHashSet();
        var edges = plan?.Edges ?? refused;

        var images = edges.Select(e => e.Edge.DestinationImage).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var destinations = edges.Select(e => e.Edge.DestinationRegistry).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var cells = edges.GroupBy(e => (e.Edge.DestinationImage, e.Edge.DestinationRegistry)).Select(g =>
        {
            var counts = new Dictionary<CellState, int>();
            var reasons = new List<string>();
            foreach (var edge in g)
            {
                var state = StateOf(edge, refusedSet.Contains(edge), written);
                counts[state] = counts.GetValueOrDefault(state) + 1;
                if (state is CellState.Refused or CellState.Lost) reasons.Add(edge.ToString());
            }
            return new ReportCell(g.Key.DestinationImage, g.Key.DestinationRegistry, counts, reasons);
        }).ToList();

        var counts = outcome?.Counts ?? (failure as EdgesRefusedException)?.Counts ?? PromotionCounts.None;
        var figures = new List<ReportFigure>
        {
            new("edges", Number(edges.Count)),
            new("edges written", Number(cells.Sum(c => c[CellState.Written]))),
            new("edges already there", Number(cells.Sum(c => c[CellState.AlreadyThere]))),
            new("edges refused", Number(refused.Count)),
            new("edges lost", Number(cells.Sum(c => c[CellState.Lost]))),
            new("manifests put", Number(counts.ManifestsPut)),
            new("blobs uploaded", Number(counts.BlobsUploaded)),
            new("blobs mounted", Number(counts.BlobsMounted)),
            new("blobs already present", Number(counts.BlobsPresent)),
            new("tags written", Number(counts.TagsWritten)),
            new("bytes uploaded", Size(progress?.Bytes ?? 0)),
            new("requests sent", Number(traffic.Sum(h => h.Requests))),
        };
        var timings = (progress?.Timings ?? []).Select(t => new ReportFigure(t.Phase.ToString().ToLowerInvariant(), Seconds(t.Took))).ToList();
        if (timings.Count > 0) timings.Add(new ReportFigure("total", Seconds(TimeSpan.FromTicks(progress!.Timings.Sum(t => t.Took.Ticks)))));
        var hosts = traffic.Select(h => new ReportHost(h.Host, h.Requests, h.Retries, h.TooManyRequests, h.ServerErrors, h.ConnectionFailures + h.Timeouts)).ToList();

        return new RunReport(title, Verdict(outcome, failure, refused.Count, written), failure is not null, failure?.Message, now,
            refused.Select(e => new ReportRefusal(e.Edge.DestinationImage, e.Edge.DestinationRegistry, e.Edge.Tag ?? e.Edge.Digest, e.ToString())).ToList(),
            images, destinations, cells, figures, timings, hosts);
    }

    private static CellState StateOf(PlannedEdge edge, bool refused, bool written)
    {
        if (refused || edge.IsRefused(lostIsRefused: false)) return CellState.Refused;
        if (edge.Decision == EdgeDecision.Lost) return CellState.Lost;
        if (edge.Decision == EdgeDecision.AlreadyPromoted) return CellState.AlreadyThere;
        return written ? CellState.Written : CellState.NotWritten;
    }

    private static string Verdict(PromotionOutcome? outcome, Exception? failure, int refused, bool written) => failure switch
    {
        null when outcome?.Stop == PromotionStop.DryRun => "Dry run: planned, nothing written",
        null => "Completed: every planned edge was written",
        PromotionRefusedException => $"Refused: {refused} edge(s) refused, nothing was written",
        EdgesRefusedException when written => $"Failed: {refused} edge(s) refused and set aside, the other edges were written",
        EdgesRefusedException => $"Failed: {refused} edge(s) refused; dry run, nothing was written",
        _ => $"Failed: {failure.GetType().Name}; see the message",
    };

    private static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.000} s");

    private static string Size(long bytes)
    {
        if (bytes < 1024) return $"{bytes} B";
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        var value = (double)bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]} ({bytes:N0} bytes)");
    }
}
