using Build.Host;
using Build.Settings;
using Cake.ImagePromoter;

namespace Build.Tasks;

/// <summary>Hands <c>Settings.Purge</c> and the run's registry pool to the addin's <see cref="ImagePromoterAliases.PurgeTestRegistries"/>,
/// which enforces the loopback and listed-destinations rules.</summary>
[TaskName(TaskNames.PurgeDest)]
[TaskDescription("Empties the destination registries the e2e file lists (--e2e-file; --purge-registries=a,b for some of them; --registry-storage=host=folder to find tagless manifests) - only those, only on loopback unless --allow-remote-purge.")]
public sealed class PurgeDestTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context)
    {
        var purge = context.Settings.Purge;
        context.PurgeTestRegistries(purge.TestFile,
            new PurgeTestRegistriesSettings { Only = [.. purge.Only ?? []], AllowRemote = purge.AllowRemote, Registries = context.Registries.Pool });
    }
}
