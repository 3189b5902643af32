using System.Net;
using System.Text;

namespace Promoter.Reporting;

/// <summary>
/// A <see cref="RunReport"/> as GitHub-flavoured Markdown (for a job summary): the verdict, the refusals (all of them
/// up to <see cref="MaxRows"/>), the matrix when it has at most <see cref="MaxRows"/> rows (else the counts per
/// destination), the figures, the timings and the requests per host. Text is escaped for table cells (<c>|</c>, HTML).
/// </summary>
public static class MarkdownReport
{
    /// <summary>The most rows one table gets; the rest is summed up in one line.</summary>
    public const int MaxRows = 50;

    /// <summary>The Markdown of <paramref name="report"/>, ending with a blank line (so that appended summaries stay apart).</summary>
    public static string Render(RunReport report)
    {
        var md = new StringBuilder();
        md.Append("## ").Append(Text(report.Title)).Append("\n\n");
        md.Append(report.Failed ? "**Failed:** " : "**Passed:** ").Append(Text(report.Verdict)).Append("\n\n");

        md.Append("### Refused (").Append(report.Refusals.Count).Append(")\n\n");
        if (report.Refusals.Count == 0) md.Append("Nothing was refused.\n\n");
        else
        {
            md.Append("| Image | Destination | Tag or digest | Reason |\n|---|---|---|---|\n");
            foreach (var r in report.Refusals.Take(MaxRows))
                md.Append("| ").Append(Text(r.Image)).Append(" | ").Append(Text(r.Destination)).Append(" | ").Append(Code(r.Reference))
                    .Append(" | ").Append(Code(r.Reason)).Append(" |\n");
            if (report.Refusals.Count > MaxRows) md.Append("\n... and ").Append(report.Refusals.Count - MaxRows).Append(" more refused edge(s).\n");
            md.Append('\n');
        }

        if (report.Images.Count <= MaxRows)
        {
            md.Append("### Images x destinations\n\n| Image |");
            foreach (var destination in report.Destinations) md.Append(' ').Append(Text(destination)).Append(" |");
            md.Append("\n|---|").Append(string.Concat(report.Destinations.Select(_ => "---|"))).Append('\n');
            foreach (var image in report.Images)
            {
                md.Append("| ").Append(Text(image)).Append(" |");
                foreach (var destination in report.Destinations) md.Append(' ').Append(Cell(report.Cell(image, destination))).Append(" |");
                md.Append('\n');
            }
        }
        else
        {
            md.Append("### Destinations (").Append(report.Images.Count).Append(" images: the matrix is in the HTML report)\n\n| Destination |");
            foreach (var state in RunReport.Order) md.Append(' ').Append(RunReport.Label(state)).Append(" |");
            md.Append("\n|---|").Append(string.Concat(RunReport.Order.Select(_ => "---:|"))).Append('\n');
            foreach (var destination in report.Destinations)
            {
                var cells = report.Cells.Where(c => c.Destination == destination).ToList();
                md.Append("| ").Append(Text(destination)).Append(" |");
                foreach (var state in RunReport.Order) md.Append(' ').Append(cells.Sum(c => c[state])).Append(" |");
                md.Append('\n');
            }
        }
        md.Append('\n');

        md.Append("### Figures\n\n| | |\n|---|---:|\n");
        foreach (var f in report.Figures) md.Append("| ").Append(Text(f.Label)).Append(" | ").Append(Text(f.Value)).Append(" |\n");
        foreach (var t in report.Timings) md.Append("| ").Append(Text(t.Label)).Append(" | ").Append(Text(t.Value)).Append(" |\n");
        md.Append('\n');
        if (report.Hosts.Count > 0)
        {
            md.Append("### Requests per registry\n\n| Host | Requests | Retries | 429 | 5xx | No answer |\n|---|---:|---:|---:|---:|---:|\n");
            foreach (var h in report.Hosts)
                md.Append("| ").Append(Text(h.Host)).Append(" | ").Append(h.Requests).Append(" | ").Append(h.Retries).Append(" | ")
                    .Append(h.TooManyRequests).Append(" | ").Append(h.ServerErrors).Append(" | ").Append(h.Failures).Append(" |\n");
            md.Append('\n');
        }
        return md.ToString();
    }

    /// <summary>Appends the Markdown of <paramref name="report"/> to <paramref name="path"/> (a job summary file gathers every step's).</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Append(RunReport report, string path) => File.AppendAllText(path, Render(report));

    private static string Cell(ReportCell? cell) => cell is null ? "-" : string.Join("<br>",
        RunReport.Order.Where(s => cell[s] > 0).Select(s => $"{cell[s]} {RunReport.Label(s)}"));

    /// <summary>Text safe in a table cell: HTML-encoded (GitHub renders inline HTML), pipes escaped, one line.</summary>
    private static string Text(string text) =>
        WebUtility.HtmlEncode(text).Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>Text as inline code in a table cell: backticks cannot close it early, pipes escaped, one line.</summary>
    private static string Code(string text)
    {
        var flat = text.Replace('\n', ' ').Replace('\r', ' ').Replace("`", "'", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);
        return $"`{flat}`";
    }
}
