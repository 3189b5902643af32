using Build.Host;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;

namespace Build.Tasks;

/// <summary>The <c>Promote</c> task: promotes images as promoter manifests say (--manifest= or --thin-manifest-dir=; a dry run unless --confirm), or prints a registry's snapshot (--snapshot=REGISTRY).</summary>
[TaskName("Promote")]
[TaskDescription("Promotes images as promoter manifests say (--manifest= or --thin-manifest-dir=; a dry run unless --confirm), or prints a registry's snapshot (--snapshot=REGISTRY).")]
public sealed class PromoteTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context)
    {
        var pool = context.Registries.Pool;
        try
        {
            if (context.Setting("snapshot") is { Length: > 0 } registry)
            {
                // Through the run's console (not the log), so the YAML is printed as is.
                var console = (IConsole?)context.ServiceProvider.GetService(typeof(IConsole)) ?? throw new InvalidOperationException("no console");
                console.Write("{0}", RegistrySnapshotter.TakeAsync(pool, registry).GetAwaiter().GetResult().ToText());
                return;
            }

            var request = PromotionRequest.Parse(PromotionArguments(context));
            var edges = request.LoadEdges(warning => context.Log.Warning(warning));
            var plan = new PromotionPlanner(pool, request.Options).PlanAsync(edges).GetAwaiter().GetResult();
            foreach (var line in plan.Describe()) context.Log.Information(line);
            if (plan.Lost.Count > 0)
                context.Log.Warning("{0} edge(s) name digests missing from the source; they are skipped", plan.Lost.Count);
            if (!request.Confirm)
            {
                context.Log.Information("Dry run complete: nothing was written (add --confirm to promote).");
                return;
            }
            var result = new PromotionExecutor(pool, request.Options, line => context.Log.Verbose(line)).ExecuteAsync(plan).GetAwaiter().GetResult();
            context.Log.Information("promoted: {0}", result);
        }
        catch (Exception exception) when (exception is FormatException or ManifestException or RegistryException or InvalidOperationException)
        {
            throw new CakeException(exception.Message);
        }
    }

    /// <summary>The promotion flags of this run's arguments, as <c>--name=value</c> strings for <see cref="PromotionRequest.Parse"/>.</summary>
    private static List<string> PromotionArguments(BuildContext context)
    {
        var arguments = new List<string>();
        foreach (var name in new[] { "manifest", "thin-manifest-dir", "threads" })
        {
            if (context.Setting(name) is { Length: > 0 } value)
            {
                var path = name == "threads" ? value : new Cake.Core.IO.FilePath(value).MakeAbsolute(context.RepositoryRoot).FullPath;
                arguments.Add($"--{name}={path}");
            }
        }
        foreach (var name in new[] { "confirm", "allow-tag-moves" })
            if (context.Flag(name)) arguments.Add($"--{name}");
        if (context.Setting("dry-run") is { Length: > 0 } dryRun) arguments.Add($"--dry-run={dryRun}");
        return arguments;
    }
}
