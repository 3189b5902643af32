using Build.Flows;
using Build.Host;
using Build.Settings;
using Cake.Core;

namespace Build.Tasks;

/// <summary>Runs the Promote command the settings give (<c>Settings.Promote()</c>) through <see cref="PromoteFlow.Run"/>.</summary>
[TaskName(TaskNames.Promote)]
[TaskDescription("Promotes images as promoter manifests say (--manifest= or --thin-manifest-dir=; a dry run unless --confirm), or prints a registry's snapshot (--snapshot=REGISTRY).")]
public sealed class PromoteTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        PromoteFlow.Run(context.Settings.Promote(), context.Registries.Pool, context.Log,
            (IConsole?)context.ServiceProvider.GetService(typeof(IConsole)) ?? throw new InvalidOperationException("no console"),
            context.Artifacts?.FullPath, context.Environment.GetEnvironmentVariables().ToDictionary(StringComparer.Ordinal));
}
