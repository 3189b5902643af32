using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;
using Promoter.Reporting;
using Promoter.Promotion.Registries;

namespace Build.Flows;

/// <summary>The Promote task's work: one short method per <see cref="PromoteMode"/> of the command.</summary>
public static class PromoteFlow
{
    /// <summary>Carries out <paramref name="command"/> as its mode says.</summary>
    /// <param name="command">What to do (<see cref="BuildSettings.Promote"/>).</param>
    /// <param name="pool">The run's registry clients.</param>
    /// <param name="log">Receives the plan and the result.</param>
    /// <param name="console">Receives snapshot YAML or CSV as is.</param>
    /// <param name="artifacts">Prow's <c>ARTIFACTS</c> folder (the plan goes there as <c>junit_promotion.xml</c>, also when it is
    /// then refused), or null.</param>
    /// <param name="environment">The process environment: the CI job's commit range of <c>--use-prow-manifest-diff</c>,
    /// <c>JOB_COMPLETION_INDEX</c> of <c>--shards</c>, <c>CI</c> and <c>NO_COLOR</c> for the progress display, and
    /// <c>GITHUB_STEP_SUMMARY</c> for the Markdown report.</param>
    /// <exception cref="CakeException">A registry name or flag value is malformed, or the signing flags do not fit together.</exception>
    /// <exception cref="Promoter.PromoterException">A manifest is invalid, a key unusable, a registry refused, or the check phase
    /// refused (a tag move, an unsigned digest, ...).</exception>
    public static void Run(PromoteCommand command, RegistryPool pool, ICakeLog log, IConsole console, string? artifacts,
        IReadOnlyDictionary<string, string> environment)
    {
        try
        {
            switch (command.Mode)
            {
                case PromoteMode.Snapshot: PrintSnapshot(command.Outputs, pool, console); break;
                case PromoteMode.ManifestSnapshot: PrintManifestSnapshot(command, log, console); break;
                case PromoteMode.ParseOnly: ParseOnly(command, log); break;
                case PromoteMode.SignatureCheck or PromoteMode.Backfill:
                    throw new InvalidOperationException($"{command.Mode} is its own task's command, not Promote's.");
                case PromoteMode.AgainstSnapshot: AgainstSnapshotFlow.Run(command, log); break;
                default: Promote(command, pool, log, artifacts, environment); break;
            }
        }
        catch (FormatException exception)
        {
            throw new CakeException(exception.Message, exception);
        }
    }

    /// <summary>
    /// The promotion <paramref name="command"/> asks for, ready for <see cref="PromotionPipeline"/>: its edges (the manifests',
    /// a reviewed plan's, only those changed in a manifest diff, only this shard's) and its policy (plan and JUnit written as
    /// soon as planned, keys read). The Promote task and every e2e invocation go through it.
    /// </summary>
    /// <exception cref="CakeException">Sharding settings that do not resolve (see <see cref="ShardSettings.Resolve"/>).</exception>
    /// <exception cref="FormatException">Signing flags that do not fit together.</exception>
    /// <exception cref="Promoter.PromoterException">A plan file or key cannot be read.</exception>
    /// <param name="command">What to promote and how.</param>
    /// <param name="pool">The run's registry clients (service accounts are applied to them).</param>
    /// <param name="log">Receives what is said before the pipeline starts.</param>
    /// <param name="artifacts">Prow's <c>ARTIFACTS</c> folder for the plan's JUnit file, or null.</param>
    /// <param name="environment">The process environment (manifest diff range, <c>JOB_COMPLETION_INDEX</c>).</param>
    /// <param name="write">Where the run's lines go (the progress display while it is live); the log when null.</param>
    public static PreparedPromotion Prepare(PromoteCommand command, RegistryPool pool, ICakeLog log, string? artifacts,
        IReadOnlyDictionary<string, string> environment, PromotionLog? write = null)
    {
        write ??= (level, line) => Write(log, level, line);
        var shard = command.Selection.Sharding.Resolve(name => environment.GetValueOrDefault(name));
        var request = command.Request;
        var policy = request.Policy with
        {
            Log = (level, line) => write(level, shard is null ? line : $"[{shard}] {line}"),
            OnPlan = plan => WritePlan(plan, command.Outputs.PlanOut, artifacts, line => write(PromotionLogLevel.Information, line), shard),
        };
        if (command.Run.UseServiceAccount) ServiceAccounts.Use(LoadManifests(command.Inputs), pool, log);

        EdgeLoader load = request.LoadEdges;
        if (command.Inputs.Plan is { } reviewed)
        {
            var expected = PlanReport.ReadJson(reviewed);
            log.Information("plan {0}: {1} edge(s) to execute exactly as reviewed, after a check for drift", reviewed, expected.Edges.Count);
            policy = policy with { ExpectedPlan = expected, ExpectedPlanFile = reviewed };
            load = _ => expected.Edges.Select(e => e.Edge).ToList();
        }
        else if (command.Selection.UseProwManifestDiff || command.Selection.ManifestDiffSince is not null)
        {
            var path = command.Inputs.Manifest ?? command.Inputs.ThinManifestDirectory!;
            load = warn => ManifestDiff.Changed(request.LoadEdges(warn), path, command.Inputs.ThinManifestDirectory is not null,
                command.Selection.ManifestDiffSince, environment, line => write(PromotionLogLevel.Information, line));
        }
        if (shard is not null) load = shard.Filter(load, line => write(PromotionLogLevel.Information, line));
        policy = command.Signing.Apply(policy);
        if (policy.Signer is not null) log.Information("signing with {0}", policy.Signer.Description);
        return new PreparedPromotion(load, policy);
    }

    /// <summary>The most lines the plan takes in the default output (<see cref="PlanSummary"/>); every edge's line at <c>-v verbose</c>.</summary>
    public const int PlanSummaryLines = 40;

    /// <summary>The report's file name in <c>ARTIFACTS</c>.</summary>
    public const string ReportFileName = "promotion-report.html";

    /// <summary>
    /// A promotion with its progress shown (live on a terminal, <c>progress:</c> lines in CI), the plan summed up in at most
    /// <see cref="PlanSummaryLines"/> lines, and the report written however the run ends.
    /// </summary>
    private static void Promote(PromoteCommand command, RegistryPool pool, ICakeLog log, string? artifacts, IReadOnlyDictionary<string, string> environment)
    {
        var display = new PromotionProgressDisplay(log, PromotionProgressDisplay.Fits(log, environment));
        var progress = new PromotionProgress();
        PromotionPlan? planned = null;
        var prepared = Prepare(command, pool, log, artifacts, environment, display.Write);
        var shard = command.Selection.Sharding.Resolve(name => environment.GetValueOrDefault(name));
        var policy = prepared.Policy with
        {
            OnPlan = plan =>
            {
                planned = plan;
                prepared.Policy.OnPlan?.Invoke(plan);
            },
            Progress = progress,
            PlanSummaryLines = PlanSummaryLines,
            FullPlanHint = command.Outputs.PlanOut ?? "--plan-out=FILE (or -v verbose)",
        };
        PromotionOutcome? outcome = null;
        Exception? failure = null;
        try
        {
            outcome = display.Run(progress, () => new PromotionPipeline(pool, policy).RunAsync(prepared.Load));
        }
        catch (Exception exception)
        {
            failure = exception;
            throw;
        }
        finally
        {
            WriteReport(command.Outputs.Report, artifacts, environment, shard, log, () => PromotionReport.Build(
                shard is null ? "Promotion report" : $"Promotion report, {shard}", planned, outcome, failure, policy.Confirm,
                progress, pool.Traffic(), DateTimeOffset.Now));
        }
    }

    /// <summary>
    /// Writes the run's report where it is asked for: <c>--report</c>, <c>ARTIFACTS</c>, <c>GITHUB_STEP_SUMMARY</c> (Markdown,
    /// appended). A report that cannot be written is a warning: it must not hide how the run itself ended.
    /// </summary>
    private static void WriteReport(string? report, string? artifacts, IReadOnlyDictionary<string, string> environment,
        PromotionShard? shard, ICakeLog log, Func<RunReport> build)
    {
        var files = new List<string>();
        if (report is not null) files.Add(shard is null ? report : shard.FileName(report));
        if (artifacts is not null) files.Add(Path.Combine(artifacts, shard?.FileName(ReportFileName) ?? ReportFileName));
        var summary = BuildSettings.StepSummaryFile(name => environment.GetValueOrDefault(name));
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

    private static void PrintSnapshot(PromoteOutputs outputs, RegistryPool pool, IConsole console)
    {
        var snapshot = RegistrySnapshotter.TakeAsync(pool, outputs.SnapshotOf!, outputs.SnapshotTag, outputs.MinimalSnapshot).GetAwaiter().GetResult();
        console.Write("{0}", outputs.Format == SnapshotFormat.Csv ? snapshot.ToCsv() : snapshot.ToText());
    }

    private static void PrintManifestSnapshot(PromoteCommand command, ICakeLog log, IConsole console)
    {
        var snapshot = Snapshot.FromEdges(command.Request.LoadEdges(line => log.Warning(line)), command.Outputs.ManifestSnapshotOf!);
        console.Write("{0}", command.Outputs.Format == SnapshotFormat.Csv ? snapshot.ToCsv() : snapshot.ToText());
    }

    private static void ParseOnly(PromoteCommand command, ICakeLog log)
    {
        var edges = command.Inputs.Plan is { } planFile
            ? PlanReport.ReadJson(planFile).Edges.Select(e => e.Edge).ToList()
            : command.Request.LoadEdges(line => log.Warning(line));
        log.Information("parse-only: {0} is valid ({1} edge(s)); no registry was contacted", command.Inputs.Described, edges.Count);
    }

    private static IReadOnlyList<PromoterManifest> LoadManifests(PromoteInputs inputs) =>
        inputs.Manifest is { } file ? [ManifestReader.Load(file)]
        : inputs.ThinManifestDirectory is { } thin ? ManifestReader.LoadThinDirectory(thin).Manifests : [];

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

    /// <summary>Writes one promotion log line at the Cake level its <see cref="PromotionLogLevel"/> maps to.</summary>
    internal static void Write(ICakeLog log, PromotionLogLevel level, string line)
    {
        switch (level)
        {
            case PromotionLogLevel.Warning: log.Warning(line); break;
            case PromotionLogLevel.Detail: log.Verbose(line); break;
            default: log.Information(line); break;
        }
    }
}
