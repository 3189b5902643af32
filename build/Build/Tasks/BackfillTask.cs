using Build.Flows;
using Build.Host;
using Build.Settings;

namespace Build.Tasks;

/// <summary>Runs the Backfill command (<c>Settings.Promote(PromoteMode.Backfill)</c>) through <see cref="BackfillFlow.Run"/>.</summary>
[TaskName(TaskNames.Backfill)]
[TaskDescription("Compares the destinations of each edge (--manifest= or --thin-manifest-dir=) as replicas and lists what each lacks or holds otherwise; --confirm copies what is missing from a healthy replica, never from the source registry.")]
public sealed class BackfillTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        BackfillFlow.Run(context.Settings.Promote(PromoteMode.Backfill), context.Registries.Pool, context.Log, context.Artifacts?.FullPath,
            context.Environment.GetEnvironmentVariables().ToDictionary(StringComparer.Ordinal));
}
