using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Golden;
using Promoter.Images;
using Promoter.Registry;

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
        if (settings.Archives is not null && settings.ContainerizedSets.Count != 1)
            throw new CakeException("--golden-archives names the archive root of one golden set: give that set with --golden.");
        foreach (var file in settings.ContainerizedSets)
            sets.Add(settings.Archives is { } archives ? GoldenSet.Load(file, archives) : GoldenSet.Load(file));
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

    /// <summary>Loads the golden set file of <paramref name="settings"/> (file, and archive root when given).</summary>
    /// <exception cref="CakeException">The file is invalid (the message gives file, line and field).</exception>
    public static GoldenSet LoadSet(GoldenSettings settings)
    {
        try
        {
            return settings.Archives is { } archives ? GoldenSet.Load(settings.SetFile, archives) : GoldenSet.Load(settings.SetFile);
        }
        catch (IOException exception)
        {
            throw new CakeException(exception.Message, exception);
        }
    }

    /// <summary>LoadTarballs: verifies every archive of the set and loads it into <paramref name="engine"/>; logs each image's digest when known.</summary>
    /// <exception cref="CakeException">An archive is missing or corrupt, a platform disagrees with the file, or the engine failed.</exception>
    public static LoadedGolden Load(IImageEngine engine, GoldenSettings settings, ICakeLog log)
    {
        var set = LoadSet(settings);
        try
        {
            var loaded = GoldenPublisher.LoadAsync(engine, set).GetAwaiter().GetResult();
            foreach (var (name, image) in loaded.Images)
                log.Information("verified {0}: {1} ({2})", name, image.ManifestDigest?.Value ?? image.Location, image.Platform);
            return loaded;
        }
        catch (IOException exception)
        {
            throw new CakeException(exception.Message, exception);
        }
    }

    /// <summary>PushSrc: pushes the loaded golden set into <paramref name="registryName"/> and logs every reference with its
    /// digest, and what the engine sent when it knows.</summary>
    /// <exception cref="CakeException">The registry or the engine refused.</exception>
    public static void Push(IImageEngine engine, LoadedGolden golden, string registryName, ICakeLog log)
    {
        IReadOnlyList<PushedReference> references;
        try
        {
            references = PushProgressDisplay.Run(log, golden.Set.Images.Select(i => i.Name),
                progress => GoldenPublisher.PushAsync(engine, golden, registryName, progress));
        }
        catch (Exception exception) when (exception is RegistryException or ImageEngineException)
        {
            throw new CakeException($"PushSrc to {registryName}: {exception.Message}", exception);
        }
        if (engine.Counts is { } counts)
            log.Information("pushed {0} reference(s): {1} blob(s) uploaded, {2} already present, {3} manifest write(s)",
                references.Count, counts.BlobsUploaded, counts.BlobsPresent, counts.ManifestsPut);
        foreach (var pushed in references)
            log.Information("{0} {1}", pushed.Reference, pushed.Digest);
    }
}
