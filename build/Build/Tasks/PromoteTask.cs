using Build.Flows;
using Build.Host;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;

namespace Build.Tasks;

/// <summary>Hands <c>Settings.Promote</c>, the presubmit, sharding and signing settings, the environment and the console to <see cref="PromoteFlow.Run"/>.</summary>
[TaskName("Promote")]
[TaskDescription("Promotes images as promoter manifests say (--manifest= or --thin-manifest-dir=; a dry run unless --confirm), or prints a registry's snapshot (--snapshot=REGISTRY).")]
public sealed class PromoteTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        PromoteFlow.Run(context.Settings.Promote, context.Registries.Pool, context.Log,
            (IConsole?)context.ServiceProvider.GetService(typeof(IConsole)) ?? throw new InvalidOperationException("no console"),
            context.Artifacts?.FullPath, context.Settings.Presubmit,
            context.Environment.GetEnvironmentVariables().ToDictionary(StringComparer.Ordinal),
            context.Settings.Sharding.Resolve(context.Environment.GetEnvironmentVariable), context.Settings.Signing,
            context.Settings.ReportFile);
}
