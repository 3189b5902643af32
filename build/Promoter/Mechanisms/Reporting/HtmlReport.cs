using System.Globalization;
using System.Net;
using System.Text;

namespace Promoter.Reporting;

/// <summary>
/// A <see cref="RunReport"/> as one self-contained HTML page: inline CSS, no script, no external asset (an artifact viewer
/// that shows a file alone renders it whole). Refusals come first, then the image x destination matrix, the figures,
/// the timings and the requests per host. Every text from the report is HTML-encoded.
/// </summary>
/// <remarks>
/// Stable hooks for tools and tests: <c>table#refusals</c> (a <c>tr.refusal</c> per refused edge, its cells
/// <c>td.image</c>, <c>td.destination</c>, <c>td.reference</c>, <c>td.reason</c>), <c>table#matrix</c> (a <c>th.destination</c>
/// per column, a <c>tr.image</c> per row whose <c>th</c> is the image; each <c>td</c> has a <c>data-STATE</c> count per state,
/// e.g. <c>data-written="2"</c>), <c>dl#figures</c>, <c>table#timings</c>, <c>table#hosts</c>, and <c>body</c>'s class
/// <c>failed</c> or <c>passed</c>.
/// </remarks>
public static class HtmlReport
{
    private const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1f2328;background:#fff}
        h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
        .verdict{font-weight:600;padding:8px 12px;border-radius:6px;display:inline-block;margin:8px 0}
        body.failed .verdict{background:#ffebe9;color:#82071e;border:1px solid #ff8182}
        body.passed .verdict{background:#dafbe1;color:#116329;border:1px solid #4ac26b}
        pre.message{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;white-space:pre-wrap;word-break:break-all}
        table{border-collapse:collapse;margin:4px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
        table#refusals td.reason{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;word-break:break-all}
        tr.refusal{background:#fff8f8}
        table#matrix td{min-width:110px}td.cell-refused{background:#ffebe9}td.cell-lost{background:#fff8c5}
        td.cell-written{background:#dafbe1}td.cell-notwritten{background:#ddf4ff}td.cell-alreadythere{background:#f6f8fa}td.cell-none{color:#8c959f}
        .state{display:block;white-space:nowrap}.why{display:block;font-family:ui-monospace,monospace;font-size:11px;color:#82071e;word-break:break-all}
        dl#figures{display:grid;grid-template-columns:max-content max-content;gap:2px 16px}dt{color:#57606a}dd{margin:0;font-variant-numeric:tabular-nums}
        .muted{color:#57606a}
        """;

    /// <summary>The page of <paramref name="report"/>.</summary>
    public static string Render(RunReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(E(report.Title)).Append("</title>\n<style>\n").Append(Style).Append("\n</style>\n</head>\n");
        html.Append("<body class=\"").Append(report.Failed ? "failed" : "passed").Append("\">\n");
        html.Append("<h1>").Append(E(report.Title)).Append("</h1>\n");
        html.Append("<div class=\"muted\">generated ").Append(E(report.Generated.ToString("yyyy-MM-dd HH:mm:ss 'UTC'zzz", CultureInfo.InvariantCulture))).Append("</div>\n");
        html.Append("<div class=\"verdict\" id=\"verdict\">").Append(E(report.Verdict)).Append("</div>\n");
        if (report.Message is { } message) html.Append("<pre class=\"message\" id=\"message\">").Append(E(message)).Append("</pre>\n");

        html.Append("<h2>Refused (").Append(report.Refusals.Count).Append(")</h2>\n");
        if (report.Refusals.Count == 0) html.Append("<p class=\"muted\" id=\"no-refusals\">Nothing was refused.</p>\n");
        else
        {
            html.Append("<table id=\"refusals\">\n<thead><tr><th>Image</th><th>Destination</th><th>Tag or digest</th><th>Reason</th></tr></thead>\n<tbody>\n");
            foreach (var refusal in report.Refusals)
                html.Append("<tr class=\"refusal\"><td class=\"image\">").Append(E(refusal.Image))
                    .Append("</td><td class=\"destination\">").Append(E(refusal.Destination))
                    .Append("</td><td class=\"reference\">").Append(E(refusal.Reference))
                    .Append("</td><td class=\"reason\">").Append(E(refusal.Reason)).Append("</td></tr>\n");
            html.Append("</tbody>\n</table>\n");
        }

        html.Append("<h2>Images x destinations (").Append(report.Images.Count).Append(" x ").Append(report.Destinations.Count).Append(")</h2>\n");
        html.Append("<table id=\"matrix\">\n<thead><tr><th>Image</th>");
        foreach (var destination in report.Destinations) html.Append("<th class=\"destination\">").Append(E(destination)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var image in report.Images)
        {
            html.Append("<tr class=\"image\"><th>").Append(E(image)).Append("</th>");
            foreach (var destination in report.Destinations) Cell(html, report.Cell(image, destination));
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");

        html.Append("<h2>Figures</h2>\n<dl id=\"figures\">\n");
        foreach (var figure in report.Figures) html.Append("<dt>").Append(E(figure.Label)).Append("</dt><dd>").Append(E(figure.Value)).Append("</dd>\n");
        html.Append("</dl>\n");

        html.Append("<h2>Timings</h2>\n<table id=\"timings\">\n<thead><tr><th>Step</th><th>Took</th></tr></thead>\n<tbody>\n");
        foreach (var timing in report.Timings)
            html.Append("<tr><td>").Append(E(timing.Label)).Append("</td><td class=\"num\">").Append(E(timing.Value)).Append("</td></tr>\n");
        html.Append("</tbody>\n</table>\n");

        html.Append("<h2>Requests per registry</h2>\n<table id=\"hosts\">\n<thead><tr><th>Host</th><th>Requests</th><th>Retries</th><th>429</th><th>5xx</th><th>No answer</th></tr></thead>\n<tbody>\n");
        foreach (var host in report.Hosts)
            html.Append("<tr><td>").Append(E(host.Host)).Append("</td>")
                .Append(Num(host.Requests)).Append(Num(host.Retries)).Append(Num(host.TooManyRequests)).Append(Num(host.ServerErrors)).Append(Num(host.Failures))
                .Append("</tr>\n");
        html.Append("</tbody>\n</table>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Renders <paramref name="report"/> into <paramref name="path"/> (whole, through a temporary file).</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(RunReport report, string path) => RunReport.WriteFile(path, Render(report));

    private static void Cell(StringBuilder html, ReportCell? cell)
    {
        if (cell is null)
        {
            html.Append("<td class=\"cell-none\">-</td>");
            return;
        }
        // The cell's colour is that of its most telling state: a refusal wins over everything else.
        var main = RunReport.Order.First(s => cell[s] > 0 || s == CellState.AlreadyThere);
        html.Append("<td class=\"cell-").Append(main.ToString().ToLowerInvariant()).Append('"');
        foreach (var state in RunReport.Order)
            html.Append(" data-").Append(state.ToString().ToLowerInvariant()).Append("=\"").Append(cell[state]).Append('"');
        html.Append('>');
        foreach (var state in RunReport.Order.Where(s => cell[s] > 0))
            html.Append("<span class=\"state\">").Append(cell[state]).Append(' ').Append(E(RunReport.Label(state))).Append("</span>");
        foreach (var reason in cell.Reasons) html.Append("<span class=\"why\">").Append(E(reason)).Append("</span>");
        html.Append("</td>");
    }

    private static string Num(long value) => $"<td class=\"num\">{value.ToString(CultureInfo.InvariantCulture)}</td>";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
