using Build.Engines;
using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Images;

namespace Build.Flows;

/// <summary>ContainerizeGolden's and PushSrc's work on the golden set.</summary>
public static class GoldenFlow
{
    /// <summary>
    /// Rebuilds every archive of <see cref="GoldenSettings.ContainerizedSets"/> that has a <c>build:</c> section (logging
    /// each sha256), or with <see cref="GoldenSettings.Verify"/> rebuilds into a temporary folder and compares byte for byte.
    /// </summary>
    /// <exception cref="CakeException">A set is invalid, or (verify) an archive is missing, extra or differs; the message
    /// lists every difference of every set.</exception>
    public static void Containerize(GoldenSettings settings, ICakeLog log)
    {
        var sets = new List<GoldenSet>();
        foreach (var file in settings.ContainerizedSets)
        {
            try { sets.Add(GoldenSet.Load(file)); }
            catch (GoldenSetException e) { throw new CakeException(e.Message); }
        }
        if (settings.Verify)
        {
            var failures = new List<string>();
            foreach (var set in sets)
            {
                var differences = GoldenBuilder.Verify(set, set.ArchiveRoot);
                if (differences.Count > 0)
                {
                    failures.Add($"golden archives under {set.ArchiveRoot} differ from a fresh build of {set.File} ({differences.Count} difference(s)):" +
                        string.Concat(differences.Select(d => Environment.NewLine + "  " + d)));
                    continue;
                }
                log.Information("golden archives verified: {0} files identical to a fresh build of {1}", set.Images.Count(i => i.Build is not null), set.File);
            }
            if (failures.Count > 0)
                throw new CakeException(string.Join(Environment.NewLine, failures) + Environment.NewLine +
                    "Run ContainerizeGolden without --verify and commit the result.");
            return;
        }
        foreach (var set in sets)
            foreach (var archive in GoldenBuilder.Build(set, set.ArchiveRoot))
                log.Information("{0} {1} ({2} bytes)", archive.Sha256, archive.Path, archive.Size);
    }

    /// <summary>Pushes the loaded golden set into <paramref name="registryName"/> and logs every reference with its digest.</summary>
    /// <exception cref="CakeException">The registry or docker refused.</exception>
    public static void Push(IGoldenEngine engine, LoadedGolden golden, string registryName, ICakeLog log)
    {
        foreach (var pushed in engine.Push(golden, registryName))
            log.Information("{0} {1}", pushed.Reference, pushed.Digest);
    }
}
