using Build.Host;
using Build.Flows;

namespace Build.Tasks;

/// <summary>Hands <c>Settings.Purge</c> and the run's registry pool to <see cref="PurgeFlow.Run"/>, which enforces the loopback and listed-destinations rules.</summary>
[TaskName("PurgeDest")]
[TaskDescription("Empties the destination registries the e2e file lists (--e2e-file; --purge-registries=a,b for some of them; --registry-storage=host=folder to find tagless manifests) - only those, only on loopback unless --allow-remote-purge.")]
public sealed class PurgeDestTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) => PurgeFlow.Run(context.Settings.Purge, context.Registries.Pool, context.Log);
}
