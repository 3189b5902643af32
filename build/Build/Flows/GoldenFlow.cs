using Build.Settings;
using Cake.Core;
using Cake.Core.IO;
using Cake.ImagePromoter;
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
    /// each sha256), or with <see cref="GoldenSettings.Verify"/> hands the sets to the addin's
    /// <see cref="ImagePromoterAliases.VerifyGoldenArchives(ICakeContext, IEnumerable{FilePath}, VerifyGoldenArchivesSettings?)"/>.
    /// </summary>
    /// <exception cref="CakeException">A set is invalid, or (verify) an archive is missing, extra or differs; the message
    /// lists every difference of every set.</exception>
    public static void Containerize(GoldenSettings settings, ICakeContext context)
    {
        if (settings.Archives is not null && settings.ContainerizedSets.Count != 1)
            throw new CakeException("--golden-archives names the archive root of one golden set: give that set with --golden.");
        if (settings.Verify)
        {
            try
            {
                context.VerifyGoldenArchives(settings.ContainerizedSets.Select(f => new FilePath(f)),
                    new VerifyGoldenArchivesSettings { ArchiveRoot = settings.Archives is { } root ? new DirectoryPath(root) : null });
            }
            catch (CakeException exception)
            {
                throw new CakeException(exception.Message + Environment.NewLine + "Run ContainerizeGolden without --verify and commit the result.", exception);
            }
            return;
        }
        var sets = settings.ContainerizedSets.Select(file => settings.Archives is { } archives ? GoldenSet.Load(file, archives) : GoldenSet.Load(file)).ToList();
        foreach (var set in sets)
            foreach (var archive in GoldenBuilder.Build(set, set.ArchiveRoot))
                context.Log.Information("{0} {1} ({2} bytes)", archive.Sha256, archive.Path, archive.Size);
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

    /// <summary>PushSrc: pushes the loaded golden set into <paramref name="registryName"/> through the addin's
    /// <see cref="ImagePromoterAliases.PushGoldenImages(ICakeContext, LoadedGolden, string, PushGoldenImagesSettings)"/>, which
    /// logs every reference with its digest and what the engine sent when it knows; progress bars on a terminal.</summary>
    /// <exception cref="CakeException">The registry or the engine refused.</exception>
    public static void Push(ICakeContext context, IImageEngine engine, LoadedGolden golden, string registryName, RegistryPool pool)
    {
        try
        {
            PushProgressDisplay.Run(context.Log, golden.Set.Images.Select(i => i.Name), progress => Task.FromResult(
                context.PushGoldenImages(golden, registryName, new PushGoldenImagesSettings { Engine = engine, Registries = pool, Progress = progress })));
        }
        catch (Exception exception) when (exception is RegistryException or ImageEngineException)
        {
            throw new CakeException($"PushSrc to {registryName}: {exception.Message}", exception);
        }
    }
}
