using static Build.Settings.SettingParsers;

namespace Build.Settings;

// The promotion report's setting (issue 26), declared beside the others.
public sealed partial class BuildSettings
{
    /// <summary>
    /// The settings of this file. A nested class, so that they are initialised before <see cref="All"/> reads them (static
    /// fields of one type spread over partial files initialise in no documented order).
    /// </summary>
    public static class ReportFlags
    {
        /// <summary><c>--report</c>: write the promotion's HTML report to this file.</summary>
        public static readonly Setting<string?> Report = new("report", "FILE", null, "",
            "Promote: write a self-contained HTML report of the promotion (refusals first, then the image x destination matrix, bytes, timings, requests per registry), also when it is refused; with ARTIFACTS set it also goes there as promotion-report.html",
            "Promote", Text);

        /// <summary>Every setting of this class, in the order help lists them.</summary>
        public static IReadOnlyList<SettingDeclaration> All { get; } = [Report];
    }

    /// <summary>Where <c>--report</c> writes the promotion's HTML report (absolute), or null.</summary>
    public string? ReportFile => _reader.Get(ReportFlags.Report) is { } report ? FullPath(report) : null;

    /// <summary>The file GitHub Actions gathers a job's summary from (<c>GITHUB_STEP_SUMMARY</c>), or null outside GitHub Actions.</summary>
    public static string? StepSummaryFile(Func<string, string?> environment) =>
        environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } file ? file : null;
}
