using Build.Host;
using Build.Testing;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Promotion.Engine;

namespace Build.Tasks;

/// <summary>The <c>PurgeDest</c> task: empties the destination registries the e2e file lists (--e2e-file; --purge-registries=a,b for some of them; --registry-storage=host=folder to find tagless manifests) - only those, only on loopback unless --allow-remote-purge.</summary>
[TaskName("PurgeDest")]
[TaskDescription("Empties the destination registries the e2e file lists (--e2e-file; --purge-registries=a,b for some of them; --registry-storage=host=folder to find tagless manifests) - only those, only on loopback unless --allow-remote-purge.")]
public sealed class PurgeDestTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context)
    {
        var settings = context.Settings.Purge;
        var file = settings.TestFile;
        IReadOnlyList<E2ETest> tests;
        try { tests = E2ETestFile.Load(file); }
        catch (ManifestException exception) { throw new CakeException(exception.Message); }

        var listed = tests.SelectMany(t => t.Registries.Select(r => r.Name)).Distinct(StringComparer.Ordinal).ToList();
        var sources = tests.Where(t => t.Registries.Count > 0).Select(t => t.Registries[0].Name).ToHashSet(StringComparer.Ordinal);
        var destinations = listed.Where(n => !sources.Contains(n)).ToList();
        if (settings.Only is { } named)
        {
            // Only the named registries; each must still be a destination the file lists (the purger refuses others).
            if (named.FirstOrDefault(sources.Contains) is { } source)
                throw new CakeException($"refusing to purge registry '{source}': it is a source registry of {file}; PurgeDest empties destinations only.");
            destinations = named.ToList();
        }
        context.Log.Information("purging {0} destination registr{1} of {2}: {3}", destinations.Count,
            destinations.Count == 1 ? "y" : "ies", file, string.Join(", ", destinations));

        var purger = new RegistryPurger(context.Registries.Pool, listed, settings.AllowRemote,
            line => context.Log.Verbose("purge: {0}", line));
        if (purger.Check(destinations) is { Count: > 0 } refusals)
            throw new CakeException(string.Join("\n", refusals));
        foreach (var name in destinations)
        {
            var path = RegistryPath.Parse(name); // Check parsed every name already
            if (context.Registries.Pool.Resolve(path.Host).StorageRoot is null)
                context.Log.Warning("{0}: no storage folder is known for {1} (--registry-storage={1}=FOLDER); manifests no tag reaches " +
                                    "cannot be listed through the registry API and are left in place.", name, path.Host);
        }

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
