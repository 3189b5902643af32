using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;

namespace Build.Flows;

/// <summary>The Promote task's work: a promotion as the settings say (dry run unless confirmed), or a registry's snapshot.</summary>
public static class PromoteFlow
{
    /// <summary>
    /// Prints <see cref="PromoteSettings.Snapshot"/>'s snapshot on <paramref name="console"/> (upstream's YAML, nothing
    /// else), or plans the promotion of the manifests, logs the plan, and executes it when confirmed.
    /// </summary>
    /// <param name="settings">What to promote and how.</param>
    /// <param name="pool">The run's registry clients.</param>
    /// <param name="log">Receives the plan and the result.</param>
    /// <param name="console">Receives the snapshot YAML as is.</param>
    /// <exception cref="CakeException">A manifest is invalid, a registry refused, or the plan was refused (a tag move).</exception>
    public static void Run(PromoteSettings settings, RegistryPool pool, ICakeLog log, IConsole console)
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
                Confirm = settings.Confirm,
                Options = new PromotionOptions { AllowTagMoves = settings.AllowTagMoves, Threads = settings.Threads },
            };
            var edges = request.LoadEdges(warning => log.Warning(warning));
            var plan = new PromotionPlanner(pool, request.Options).PlanAsync(edges).GetAwaiter().GetResult();
            foreach (var line in plan.Describe()) log.Information(line);
            if (plan.Lost.Count > 0)
                log.Warning("{0} edge(s) name digests missing from the source; they are skipped", plan.Lost.Count);
            if (!request.Confirm)
            {
                log.Information("Dry run complete: nothing was written (add --confirm to promote).");
                return;
            }
            var result = new PromotionExecutor(pool, request.Options, line => log.Verbose(line)).ExecuteAsync(plan).GetAwaiter().GetResult();
            log.Information("promoted: {0}", result);
        }
        catch (Exception exception) when (exception is FormatException or ManifestException or RegistryException or InvalidOperationException)
        {
            throw new CakeException(exception.Message);
        }
    }
}
