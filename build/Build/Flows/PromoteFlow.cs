using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;
using Promoter.Reporting;
using Promoter.Yaml;

namespace Build.Flows;

/// <summary>The Promote task's work: a promotion as the settings say (dry run unless confirmed), or a registry's snapshot.</summary>
public static class PromoteFlow
{
    /// <summary>
    /// Prints <see cref="PromoteSettings.Snapshot"/>'s snapshot on <paramref name="console"/> (upstream's YAML, nothing
    /// else), or runs <see cref="PromotionPipeline"/> on the manifests with Promote's policy: the settings' confirm,
    /// tag moves and threads; lost edges warned about and skipped.
    /// </summary>
    /// <param name="settings">What to promote and how.</param>
    /// <param name="pool">The run's registry clients.</param>
    /// <param name="log">Receives the plan and the result.</param>
    /// <param name="console">Receives the snapshot YAML as is.</param>
    /// <param name="artifacts">Prow's <c>ARTIFACTS</c> folder: the plan goes there as <c>junit_promotion.xml</c> (one case per
    /// edge; a refused tag move fails its case), even when the check phase then refuses it; null for none.</param>
    /// <param name="presubmit">The presubmit-grade and kpromo flags (<c>--isolate-edges</c>, <c>--plan</c>, <c>--parse-only</c>,
    /// snapshot formats, manifest diffs); null for none.</param>
    /// <param name="environment">The process environment, for the CI job's commit range of <c>--use-prow-manifest-diff</c>; null for none.</param>
    /// <param name="shard">Promote only this shard's destination repositories (<see cref="PromotionShard"/>; its log lines, plan
    /// file and JUnit file name it), or null for the whole promotion.</param>
    /// <param name="signing">The attachment and signature flags (<c>--copy-attachments</c>, <c>--sign</c>, ...); null for the defaults.</param>
    /// <param name="report">Where <c>--report</c> writes the HTML report (also when the run is refused or fails), or null; with
    /// <paramref name="artifacts"/> set it also goes there as <see cref="ReportFileName"/>, and with <c>GITHUB_STEP_SUMMARY</c>
    /// set in <paramref name="environment"/> its Markdown is appended to that file.</param>
    /// <exception cref="CakeException">A registry name is malformed, or the signing flags do not fit together.</exception>
    /// <exception cref="Promoter.PromoterException">A manifest is invalid, a key unusable, a registry refused, or the check phase refused (a tag move).</exception>
    public static void Run(PromoteSettings settings, RegistryPool pool, ICakeLog log, IConsole console, string? artifacts,
        PresubmitSettings? presubmit = null, IReadOnlyDictionary<string, string>? environment = null, PromotionShard? shard = null, SigningArguments? signing = null,
        string? report = null)
    {
        var extra = presubmit ?? new PresubmitSettings(false, false, null, false, SnapshotFormat.Yaml, null, false, null, false, null, false);
        try
        {
            if (settings.Snapshot is { } registry)
            {
                var snapshot = RegistrySnapshotter.TakeAsync(pool, registry, extra.SnapshotTag, extra.MinimalSnapshot).GetAwaiter().GetResult();
                console.Write("{0}", extra.Output == SnapshotFormat.Csv ? snapshot.ToCsv() : snapshot.ToText());
                return;
            }
            if (extra.SnapshotTag is not null || extra.MinimalSnapshot)
                throw new CakeException("--snapshot-tag and --minimal-snapshot apply to --snapshot=REGISTRY only.");

            var display = new PromotionProgressDisplay(log, environment is not null && PromotionProgressDisplay.Fits(log, environment));
            var progress = new PromotionProgress();
            PromotionPlan? planned = null;
            var request = new PromotionRequest
            {
                Manifest = settings.Manifest,
                ThinManifestDirectory = settings.ThinManifestDirectory,
                Policy = new PromotionPolicy
                {
                    Confirm = settings.Confirm,
                    AllowTagMoves = settings.AllowTagMoves,
                    Threads = settings.Threads,
                    LostEdges = extra.RequireSource ? LostEdgePolicy.Fail : LostEdgePolicy.WarnAndSkip,
                    IsolateEdges = extra.IsolateEdges,
                    VerifyDestination = extra.VerifyDestination,
                    Log = (level, line) => display.Write(level, shard is null ? line : $"[{shard}] {line}"),
                    OnPlan = plan =>
                    {
                        planned = plan;
                        WritePlan(plan, settings.PlanOut, artifacts, line => display.Write(PromotionLogLevel.Information, line), shard);
                    },
                    Progress = progress,
                    PlanSummaryLines = PlanSummaryLines,
                    FullPlanHint = settings.PlanOut is null ? "--plan-out=FILE (or -v verbose)" : settings.PlanOut,
                },
            };
            if (extra.ManifestBasedSnapshotOf is { } destination)
            {
                var snapshot = Snapshot.FromEdges(request.LoadEdges(line => log.Warning(line)), destination);
                console.Write("{0}", extra.Output == SnapshotFormat.Csv ? snapshot.ToCsv() : snapshot.ToText());
                return;
            }
            if (extra.ParseOnly)
            {
                var edges = extra.Plan is { } planFile ? PlanReport.ReadJson(planFile).Edges.Select(e => e.Edge).ToList() : request.LoadEdges(line => log.Warning(line));
                log.Information("parse-only: {0} is valid ({1} edge(s)); no registry was contacted",
                    extra.Plan ?? settings.Manifest ?? settings.ThinManifestDirectory ?? "", edges.Count);
                return;
            }
            if (extra.UseServiceAccount)
            {
                var manifests = settings.Manifest is { } file ? [ManifestReader.Load(file)]
                    : settings.ThinManifestDirectory is { } thin ? ManifestReader.LoadThinDirectory(thin).Manifests : [];
                ServiceAccounts.Use(manifests, pool, log);
            }
            EdgeLoader load = request.LoadEdges;
            if (extra.Plan is { } reviewed)
            {
                var expected = PlanReport.ReadJson(reviewed);
                log.Information("plan {0}: {1} edge(s) to execute exactly as reviewed, after a check for drift", reviewed, expected.Edges.Count);
                request = request with { Policy = request.Policy with { ExpectedPlan = expected, ExpectedPlanFile = reviewed } };
                load = _ => expected.Edges.Select(e => e.Edge).ToList();
            }
            else if (extra.UseProwManifestDiff || extra.ManifestDiffSince is not null)
            {
                var path = settings.Manifest ?? settings.ThinManifestDirectory!;
                load = warn => ManifestDiff.Changed(request.LoadEdges(warn), path, settings.ThinManifestDirectory is not null,
                    extra.ManifestDiffSince, environment ?? new Dictionary<string, string>(), line => display.Write(PromotionLogLevel.Information, line));
            }
            if (shard is not null) load = shard.Filter(load, line => display.Write(PromotionLogLevel.Information, line));
            var policy = (signing ?? new SigningArguments()).Apply(request.Policy);
            if (policy.Signer is not null) log.Information("signing with {0}", policy.Signer.Description);
            PromotionOutcome? outcome = null;
            Exception? failure = null;
            try
            {
                outcome = display.Run(progress, () => new PromotionPipeline(pool, policy).RunAsync(load));
            }
            catch (Exception exception)
            {
                failure = exception;
                throw;
            }
            finally
            {
                WriteReport(report, artifacts, environment, shard, log, () => PromotionReport.Build(
                    shard is null ? "Promotion report" : $"Promotion report, {shard}", planned, outcome, failure, policy.Confirm,
                    progress, pool.Traffic(), DateTimeOffset.Now));
            }
        }
        catch (FormatException exception)
        {
            throw new CakeException(exception.Message, exception);
        }
    }

    /// <summary>The most lines the plan takes in the default output (<see cref="PlanSummary"/>); every edge's line at <c>-v verbose</c>.</summary>
    public const int PlanSummaryLines = 40;

    /// <summary>The report's file name in <c>ARTIFACTS</c>.</summary>
    public const string ReportFileName = "promotion-report.html";

    /// <summary>
    /// Writes the run's report where it is asked for: <c>--report</c>, <c>ARTIFACTS</c>, <c>GITHUB_STEP_SUMMARY</c> (Markdown,
    /// appended). A report that cannot be written is a warning: it must not hide how the run itself ended.
    /// </summary>
    private static void WriteReport(string? report, string? artifacts, IReadOnlyDictionary<string, string>? environment,
        PromotionShard? shard, ICakeLog log, Func<RunReport> build)
    {
        var files = new List<string>();
        if (report is not null) files.Add(shard is null ? report : shard.FileName(report));
        if (artifacts is not null) files.Add(Path.Combine(artifacts, shard?.FileName(ReportFileName) ?? ReportFileName));
        var summary = BuildSettings.StepSummaryFile(name => environment?.GetValueOrDefault(name));
        if (files.Count == 0 && summary is null) return;
        try
        {
            var built = build();
            foreach (var file in files.Distinct(StringComparer.Ordinal))
            {
                HtmlReport.Write(built, file);
                log.Information("report: {0}", file);
            }
            if (summary is not null) MarkdownReport.Append(built, summary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning("the report could not be written: {0}", e.Message);
        }
    }

    /// <summary>The plan as review artifacts: JSON at <paramref name="planOut"/>, JUnit in <paramref name="artifacts"/>.</summary>
    /// <remarks>Its lines go to <paramref name="info"/>: the plan is written while the progress display may be live.</remarks>
    private static void WritePlan(PromotionPlan plan, string? planOut, string? artifacts, Action<string> info, PromotionShard? shard)
    {
        if (planOut is not null)
        {
            if (shard is not null) planOut = shard.FileName(planOut);
            PlanReport.WriteJson(plan, planOut);
            info($"plan: {planOut} ({plan.Edges.Count} edge(s), {plan.Copies.Count + plan.Tags.Count} manifest write(s))");
        }
        if (artifacts is not null)
        {
            var junit = Path.Combine(artifacts, shard?.FileName("junit_promotion.xml") ?? "junit_promotion.xml");
            PlanReport.WriteJUnit(plan, junit, shard is null ? "promotion" : $"promotion {shard}");
            info($"JUnit: {junit}");
        }
    }
}
