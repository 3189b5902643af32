using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;

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
    /// <param name="environment">The process environment: the CI job's commit range of <c>--use-prow-manifest-diff</c> and
    /// <c>JOB_COMPLETION_INDEX</c> of <c>--shards</c>.</param>
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
                case PromoteMode.SignatureCheck: SignatureCheckFlow.Run(command, pool, log); break;
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
    public static PreparedPromotion Prepare(PromoteCommand command, RegistryPool pool, ICakeLog log, string? artifacts,
        IReadOnlyDictionary<string, string> environment)
    {
        var shard = command.Selection.Sharding.Resolve(name => environment.GetValueOrDefault(name));
        var request = command.Request;
        var policy = request.Policy with
        {
            Log = (level, line) => Write(log, level, shard is null ? line : $"[{shard}] {line}"),
            OnPlan = plan => WritePlan(plan, command.Outputs.PlanOut, artifacts, log, shard),
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
                command.Selection.ManifestDiffSince, environment, line => log.Information(line));
        }
        if (shard is not null) load = shard.Filter(load, log.Information);
        policy = command.Signing.Apply(policy);
        if (policy.Signer is not null) log.Information("signing with {0}", policy.Signer.Description);
        return new PreparedPromotion(load, policy);
    }

    private static void Promote(PromoteCommand command, RegistryPool pool, ICakeLog log, string? artifacts, IReadOnlyDictionary<string, string> environment)
    {
        var prepared = Prepare(command, pool, log, artifacts, environment);
        new PromotionPipeline(pool, prepared.Policy).RunAsync(prepared.Load).GetAwaiter().GetResult();
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
    private static void WritePlan(PromotionPlan plan, string? planOut, string? artifacts, ICakeLog log, PromotionShard? shard)
    {
        if (planOut is not null)
        {
            if (shard is not null) planOut = shard.FileName(planOut);
            PlanReport.WriteJson(plan, planOut);
            log.Information("plan: {0} ({1} edge(s), {2} manifest write(s))", planOut, plan.Edges.Count, plan.Copies.Count + plan.Tags.Count);
        }
        if (artifacts is not null)
        {
            var junit = Path.Combine(artifacts, shard?.FileName("junit_promotion.xml") ?? "junit_promotion.xml");
            PlanReport.WriteJUnit(plan, junit, shard is null ? "promotion" : $"promotion {shard}");
            log.Information("JUnit: {0}", junit);
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
