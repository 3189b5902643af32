using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion.Engine;
using Promoter.E2E;
using Promoter.Registry;

namespace Build.Flows;

/// <summary>PurgeDest's work: empties the destination registries an e2e file lists, and only those.</summary>
public static class PurgeFlow
{
    /// <summary>
    /// Purges the destinations of <see cref="PurgeSettings.TestFile"/> (or the chosen ones among them): every registry a
    /// test lists after its first (the first is its source), refused as a whole before any request when a name is a
    /// source, not listed, or not on loopback without <see cref="PurgeSettings.AllowRemote"/>.
    /// </summary>
    /// <exception cref="CakeException">The file is invalid, or the purge was refused (the message names the registry and why).</exception>
    public static void Run(PurgeSettings settings, RegistryPool pool, ICakeLog log)
    {
        var file = settings.TestFile;
        var tests = E2ETestFile.Load(file);

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
        log.Information("purging {0} destination registr{1} of {2}: {3}", destinations.Count,
            destinations.Count == 1 ? "y" : "ies", file, string.Join(", ", destinations));

        var purger = new RegistryPurger(pool, listed, settings.AllowRemote, line => log.Verbose("purge: {0}", line), protectedRegistries: sources);
        if (purger.Check(destinations) is { Count: > 0 } refusals)
            throw new CakeException(string.Join("\n", refusals));
        foreach (var name in destinations)
        {
            var path = RegistryPath.Parse(name); // Check parsed every name already
            if (pool.Resolve(path.Host).StorageRoot is null)
                log.Warning("{0}: no storage folder is known for {1} (--registry-storage={1}=FOLDER); manifests no tag reaches " +
                            "cannot be listed through the registry API and are left in place.", name, path.Host);
        }

        log.Information("purged: {0}", purger.PurgeAsync(destinations).GetAwaiter().GetResult());
    }
}
