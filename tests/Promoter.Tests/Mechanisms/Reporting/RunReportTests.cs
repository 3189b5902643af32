using FluentAssertions;
using Promoter.Reporting;
using Xunit;

namespace Promoter.Tests.Reporting;

/// <summary>The report page and its Markdown: every text encoded, nothing loaded from elsewhere, refusals first.</summary>
[Trait("Category", "Decisions")]
public sealed class RunReportTests
{
    private static RunReport Hostile() => new(
        "T <b>&", "Refused: <img src=x onerror=alert(1)>", true, "line 1\n<script>alert(2)</script>", DateTimeOffset.UnixEpoch,
        [new ReportRefusal("img<x>", "reg|\"dst\"", "1.0`", "REFUSED tag move: reg/img:1.0 points at sha256:a, not sha256:b & <c>")],
        ["img<x>", "other"], ["reg|\"dst\""],
        [new ReportCell("img<x>", "reg|\"dst\"", new Dictionary<CellState, int> { [CellState.Refused] = 1, [CellState.Written] = 2 }, ["why <not>"])],
        [new ReportFigure("bytes <uploaded>", "1 & 2")], [new ReportFigure("plan", "0.100 s")],
        [new ReportHost("127.0.0.1:5000", 10, 1, 0, 0, 0)]);

    [Fact]
    public void The_page_encodes_every_text_and_needs_nothing_from_elsewhere()
    {
        var html = HtmlReport.Render(Hostile());

        html.Should().NotContain("<script").And.NotContain("<img").And.NotContain("<b>").And.NotContain("img<x>").And.NotContain("<c>")
            .And.NotContain("src=\"").And.NotContain("href=").And.NotContain("<link");
        html.Should().Contain("&lt;script&gt;alert(2)&lt;/script&gt;").And.Contain("img&lt;x&gt;").And.Contain("reg|&quot;dst&quot;")
            .And.Contain("sha256:a, not sha256:b &amp; &lt;c&gt;").And.Contain("<style>");
        html.IndexOf("id=\"refusals\"", StringComparison.Ordinal).Should().BeLessThan(html.IndexOf("id=\"matrix\"", StringComparison.Ordinal));
        html.Should().Contain("<td class=\"cell-refused\" data-refused=\"1\" data-lost=\"0\" data-written=\"2\" data-notwritten=\"0\" data-alreadythere=\"0\">",
            "a refusal colours its cell, and every state's count is there for tools")
            .And.Contain("<td class=\"cell-none\">-</td>", "an image without edges in a destination");
    }

    [Fact]
    public void The_markdown_escapes_table_cells()
    {
        var markdown = MarkdownReport.Render(Hostile());

        markdown.Should().StartWith("## T &lt;b&gt;&amp;\n\n**Failed:** Refused: &lt;img src=x onerror=alert(1)&gt;");
        markdown.Should().Contain("| img&lt;x&gt; | reg\\|&quot;dst&quot; | `1.0'` | `REFUSED tag move: reg/img:1.0 points at sha256:a, not sha256:b & <c>` |")
            .And.Contain("| img&lt;x&gt; | 1 refused<br>2 promoted |").And.Contain("| other | - |")
            .And.Contain("| bytes &lt;uploaded&gt; | 1 &amp; 2 |").And.EndWith("\n\n");
    }
}
