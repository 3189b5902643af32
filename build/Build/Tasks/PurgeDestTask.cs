using Build.Host;
using Build.Testing;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Promotion.Engine;

namespace Build.Tasks;

[TaskName("PurgeDest")]
[TaskDescription("Empties the destination registries the e2e file lists (--e2e-file) - only those, only on loopback unless --allow-remote-purge.")]
public sealed class PurgeDestTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var file = E2ESession.TestFileOf(context);
        IReadOnlyList<E2ETest> tests;
        try { tests = E2ETestFile.Load(file); }
        catch (ManifestException exception) { throw new CakeException(exception.Message); }

        var listed = tests.SelectMany(t => t.Registries.Select(r => r.Name)).Distinct(StringComparer.Ordinal).ToList();
        var sources = tests.Where(t => t.Registries.Count > 0).Select(t => t.Registries[0].Name).ToHashSet(StringComparer.Ordinal);
        var destinations = listed.Where(n => !sources.Contains(n)).ToList();
        context.Log.Information("purging {0} destination registr{1} of {2}: {3}", destinations.Count,
            destinations.Count == 1 ? "y" : "ies", file, string.Join(", ", destinations));

        var purger = new RegistryPurger(context.Registries.Pool, listed, context.Flag("allow-remote-purge"),
            line => context.Log.Verbose("purge: {0}", line));
        try
        {
            var result = purger.PurgeAsync(destinations).GetAwaiter().GetResult();
            context.Log.Information("purged: {0}", result);
        }
        catch (PurgeRefusedException refused)
        {
            throw new CakeException(refused.Message);
        }
    }
}
