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
    /// Rebuilds every archive of the golden set that has a <c>build:</c> section (logging each sha256), or with
    /// <see cref="GoldenSettings.Verify"/> rebuilds into a temporary folder and compares byte for byte.
    /// </summary>
    /// <exception cref="CakeException">The set is invalid, or (verify) an archive is missing, extra or differs; the message lists every difference.</exception>
    public static void Containerize(GoldenSettings settings, ICakeLog log)
    {
        var set = GoldenEngines.LoadSet(settings);
        if (settings.Verify)
        {
            var differences = GoldenBuilder.Verify(set, set.ArchiveRoot);
            if (differences.Count > 0)
                throw new CakeException($"golden archives under {set.ArchiveRoot} differ from a fresh build of {settings.SetFile} " +
                    $"({differences.Count} difference(s); run ContainerizeGolden without --verify and commit the result):" +
                    string.Concat(differences.Select(d => Environment.NewLine + "  " + d)));
            log.Information("golden archives verified: {0} files identical", set.Images.Count(i => i.Build is not null));
            return;
        }
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
