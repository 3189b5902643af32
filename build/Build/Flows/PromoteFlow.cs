using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;
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
    /// <param name="signing">The attachment and signature flags (<c>--copy-attachments</c>, <c>--sign</c>, ...); null for the defaults.</param>
    /// <exception cref="CakeException">A registry name is malformed, or the signing flags do not fit together.</exception>
    /// <exception cref="Promoter.PromoterException">A manifest is invalid, a key unusable, a registry refused, or the check phase refused (a tag move).</exception>
    public static void Run(PromoteSettings settings, RegistryPool pool, ICakeLog log, IConsole console, string? artifacts,
        SigningArguments? signing = null)
    {
        try
        {
            if (settings.Snapshot is { } registry)
            {
                console.Write("{0}", RegistrySnapshotter.TakeAsync(pool, registry).GetAwaiter().GetResult().ToText());
                return;
            }

            var request = new PromotionRequest
            {
                Manifest = settings.Manifest,
                ThinManifestDirectory = settings.ThinManifestDirectory,
                Policy = new PromotionPolicy
                {
                    Confirm = settings.Confirm,
                    AllowTagMoves = settings.AllowTagMoves,
                    Threads = settings.Threads,
                    LostEdges = LostEdgePolicy.WarnAndSkip,
                    Log = (level, line) => Write(log, level, line),
                    OnPlan = plan => WritePlan(plan, settings.PlanOut, artifacts, log),
                },
            };
            var policy = (signing ?? new SigningArguments()).Apply(request.Policy);
            if (policy.Signer is not null) log.Information("signing with {0}", policy.Signer.Description);
            new PromotionPipeline(pool, policy).RunAsync(request.LoadEdges).GetAwaiter().GetResult();
        }
        catch (FormatException exception)
        {
            throw new CakeException(exception.Message, exception);
        }
    }

    /// <summary>The plan as review artifacts: JSON at <paramref name="planOut"/>, JUnit in <paramref name="artifacts"/>.</summary>
    private static void WritePlan(PromotionPlan plan, string? planOut, string? artifacts, ICakeLog log)
    {
        if (planOut is not null)
        {
            PlanReport.WriteJson(plan, planOut);
            log.Information("plan: {0} ({1} edge(s), {2} manifest write(s))", planOut, plan.Edges.Count, plan.Copies.Count + plan.Tags.Count);
        }
        if (artifacts is not null)
        {
            var junit = Path.Combine(artifacts, "junit_promotion.xml");
            PlanReport.WriteJUnit(plan, junit, "promotion");
            log.Information("JUnit: {0}", junit);
        }
    }

    private static void Write(ICakeLog log, PromotionLogLevel level, string line)
    {
        switch (level)
        {
            case PromotionLogLevel.Warning: log.Warning(line); break;
            case PromotionLogLevel.Detail: log.Verbose(line); break;
            default: log.Information(line); break;
        }
    }
}
