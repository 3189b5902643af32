using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Tests.Support;
using PuppeteerSharp;

namespace Build.Tests.Tasks.Promote;

/// <summary>
/// Issue 26's report, looked at as a person would: a real promotion by the build program (a tag move refused and set
/// aside with --isolate-edges, the other edges promoted into two destinations) writes --report=FILE; headless Chromium
/// (Debian's, through PuppeteerSharp) loads the page from disk, the DOM is checked, and a screenshot is kept in
/// <c>.build/report-screenshot.png</c>.
/// </summary>
public sealed class PromotionReportBrowserTests() : SeededRegistryTest("report-browser-")
{
    private const string Bar = GoldenDigests.Upstream.Bar;
    private const string FooAmd64 = GoldenDigests.Upstream.FooAmd64;
    private const string FooS390x = GoldenDigests.Upstream.FooS390x;

    private string Manifest(string name, string destinations, string images)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, $"""
            registries:
            - name: {Seeded.Host}/stg
              src: true
            {destinations}
            images:
            {images}
            """);
        return path;
    }

    [ToolFact("chromium")]
    public async Task The_report_of_a_run_with_a_refused_tag_move_shows_the_refusal_first_and_the_matrix()
    {
        // prod-a holds foo:1.0 and foo:keep on the amd64 image; the run wants 1.0 on s390x (a tag move, refused in prod-a
        // only), keep and 2.0 on amd64, and bar:1.0, in prod-a and prod-b.
        var seed = BuildProgram.Run("--target", "Promote", "--confirm", $"--manifest={Manifest("seed.yaml", $"- name: {Seeded.Host}/prod-a", $"""
            - name: golden-foo/foo
              dmap:
                "{FooAmd64}": ["1.0", "keep"]
            """)}");
        seed.ExitCode.Should().Be(0, seed.Output);
        var manifest = Manifest("run.yaml", $"- name: {Seeded.Host}/prod-a\n- name: {Seeded.Host}/prod-b", $"""
            - name: golden-foo/foo
              dmap:
                "{FooS390x}": ["1.0"]
                "{FooAmd64}": ["keep", "2.0"]
            - name: golden-bar/bar
              dmap:
                "{Bar}": ["1.0"]
            """);
        var report = Path.Combine(Folder, "out", "report.html");

        var run = BuildProgram.Run("--target", "Promote", "--confirm", "--isolate-edges", $"--manifest={manifest}", $"--report={report}");

        run.ExitCode.Should().NotBe(0, "a refused edge fails the run at its end: " + run.Output);
        run.Output.Should().Contain($"report: {report}");
        File.Exists(report).Should().BeTrue(run.Output);
        var html = await File.ReadAllTextAsync(report);
        html.Should().NotContain("<script").And.NotContain("http://").And.NotContain("https://").And.NotContain("<link");

        var profile = Directory.CreateTempSubdirectory("report-chromium-").FullName;
        try
        {
            await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = HostTools.Chromium,
                Headless = true,
                UserDataDir = profile,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            await using var page = await browser.NewPageAsync();
            await page.SetViewportAsync(new ViewPortOptions { Width = 1400, Height = 900 });
            var response = await page.GoToAsync(new Uri(report).AbsoluteUri);
            response.Ok.Should().BeTrue();
            // The screenshot first, so that a failing check below still leaves the page to look at.
            var screenshot = Path.Combine(BuildProgram.RepositoryRoot, ".build", "report-screenshot.png");
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            await page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = true });
            new FileInfo(screenshot).Length.Should().BeGreaterThan(10_000);
            // In Prow (ARTIFACTS set) the page and its screenshot go with the job's artifacts too, for a reviewer to open.
            if (Environment.GetEnvironmentVariable("ARTIFACTS") is { Length: > 0 } artifacts)
            {
                Directory.CreateDirectory(artifacts);
                File.Copy(screenshot, Path.Combine(artifacts, "report-screenshot.png"), overwrite: true);
                File.Copy(report, Path.Combine(artifacts, "report-example.html"), overwrite: true);
            }

            (await page.EvaluateExpressionAsync<string>("document.body.className")).Should().Be("failed");
            // The refusals come before the matrix, and the first refusal names the tag and both digests.
            (await page.EvaluateExpressionAsync<bool>(
                "!!(document.querySelector('table#refusals').compareDocumentPosition(document.querySelector('table#matrix')) & Node.DOCUMENT_POSITION_FOLLOWING)"))
                .Should().BeTrue("refusals are listed first");
            var refusal = await page.EvaluateExpressionAsync<string[]>(
                "[...document.querySelectorAll('table#refusals tbody tr')[0].cells].map(c => c.textContent)");
            refusal[0].Should().Be("golden-foo/foo");
            refusal[1].Should().Be($"{Seeded.Host}/prod-a");
            refusal[2].Should().Be("1.0");
            refusal[3].Should().Be($"REFUSED tag move: {Seeded.Host}/prod-a/golden-foo/foo:1.0 points at {FooAmd64}, not {FooS390x}");
            (await page.EvaluateExpressionAsync<int>("document.querySelectorAll('table#refusals tbody tr.refusal').length")).Should().Be(1);

            // One row per image, one column per destination.
            (await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('table#matrix tbody tr.image th')].map(c => c.textContent)"))
                .Should().Equal("golden-bar/bar", "golden-foo/foo");
            (await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('table#matrix thead th.destination')].map(c => c.textContent)"))
                .Should().Equal($"{Seeded.Host}/prod-a", $"{Seeded.Host}/prod-b");
            (await page.EvaluateExpressionAsync<int>("Math.max(...[...document.querySelectorAll('table#matrix tbody tr')].map(r => r.cells.length))"))
                .Should().Be(3, "the image's header cell and one cell per destination");

            // The counts: 8 edges; in prod-a foo's 1.0 refused, keep already there, 2.0 written; in prod-b foo's three tags written; bar written twice.
            int Sum(string state) => page.EvaluateExpressionAsync<int>(
                $"[...document.querySelectorAll('table#matrix td')].reduce((n, td) => n + Number(td.dataset.{state} || 0), 0)").GetAwaiter().GetResult();
            Sum("refused").Should().Be(1);
            Sum("alreadythere").Should().Be(1);
            Sum("written").Should().Be(6);
            Sum("notwritten").Should().Be(0);
            (await page.EvaluateExpressionAsync<string>(
                "document.querySelector('table#matrix tbody tr:nth-child(2) td:nth-of-type(1)').dataset.refused")).Should().Be("1");
            var figures = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('dl#figures dt, dl#figures dd')].map(e => e.textContent)");
            figures.Should().ContainInOrder("edges", "8").And.ContainInOrder("edges written", "6").And.ContainInOrder("edges refused", "1");
            (await page.EvaluateExpressionAsync<int>("document.querySelectorAll('table#hosts tbody tr').length")).Should().BeGreaterThan(0);
            (await page.EvaluateExpressionAsync<int>("document.querySelectorAll('table#timings tbody tr').length")).Should().BeGreaterThan(0);

        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
