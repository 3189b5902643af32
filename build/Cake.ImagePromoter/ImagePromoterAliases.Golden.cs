using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Promoter.E2E;
using Promoter.Golden;
using Promoter.Images;
using Promoter.Registry;
using Promoter.Promotion.Registries;

namespace Cake.ImagePromoter;

public static partial class ImagePromoterAliases
{
    /// <summary>
    /// Pushes a golden image set (a <c>golden.yaml</c>: images from docker-save or OCI archives, and manifest lists of them)
    /// into a registry with their digests unchanged: every archive is verified first, each image is pushed with its tags,
    /// each manifest list as soon as its children are in. Logs every reference with its digest.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="goldenSet">The golden set file.</param>
    /// <param name="registry">The registry, <c>host[:port][/prefix]</c>.</param>
    /// <param name="settings">Archive root, engine, progress and registry access; null for the defaults.</param>
    /// <returns>Every reference pushed with its digest: the images' in the set's order, then the manifest lists'.</returns>
    /// <exception cref="Promoter.PromoterException">The set or an archive is invalid, or the registry refused.</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Golden images")]
    public static IReadOnlyList<PushedReference> PushGoldenImages(this ICakeContext context, FilePath goldenSet, string registry,
        PushGoldenImagesSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(goldenSet);
        settings ??= new PushGoldenImagesSettings();
        var set = LoadGoldenSet(context, goldenSet, settings.ArchiveRoot);
        using var scope = RegistryScope.Open(context, settings);
        var engine = settings.Engine ?? new OciImageEngine(scope.Pool);
        var loaded = GoldenPublisher.LoadAsync(engine, set).GetAwaiter().GetResult();
        foreach (var (name, image) in loaded.Images)
            context.Log.Information("verified {0}: {1} ({2})", name, image.ManifestDigest?.Value ?? image.Location, image.Platform);
        return Push(context, engine, loaded, registry, settings.Progress);
    }

    /// <summary>Pushes a golden set an engine has loaded already (<see cref="GoldenPublisher.LoadAsync"/>), as the
    /// <see cref="FilePath"/> overload does; <see cref="PushGoldenImagesSettings.Engine"/> must be the engine that loaded it.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="golden">The loaded set.</param>
    /// <param name="registry">The registry, <c>host[:port][/prefix]</c>.</param>
    /// <param name="settings">The engine, progress and registry access.</param>
    /// <returns>Every reference pushed with its digest.</returns>
    /// <exception cref="Promoter.PromoterException">The registry or the engine refused.</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Golden images")]
    public static IReadOnlyList<PushedReference> PushGoldenImages(this ICakeContext context, LoadedGolden golden, string registry,
        PushGoldenImagesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(golden);
        ArgumentNullException.ThrowIfNull(settings);
        using var scope = RegistryScope.Open(context, settings);
        return Push(context, settings.Engine ?? new OciImageEngine(scope.Pool), golden, registry, settings.Progress);
    }

    /// <summary>
    /// Rebuilds the archives of golden sets into a temporary folder and compares them byte for byte with the committed ones
    /// (only images with a <c>build:</c> section). Logs each set that matches.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="goldenSet">The golden set file.</param>
    /// <param name="settings">The archive root; null for the file's own.</param>
    /// <exception cref="CakeException">An archive is missing, extra or differs; every difference is listed.</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Golden images")]
    public static void VerifyGoldenArchives(this ICakeContext context, FilePath goldenSet, VerifyGoldenArchivesSettings? settings = null) =>
        VerifyGoldenArchives(context, [goldenSet], settings);

    /// <summary>Verifies several golden sets (<see cref="VerifyGoldenArchives(ICakeContext, FilePath, VerifyGoldenArchivesSettings?)"/>),
    /// reporting the differences of all of them at once.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="goldenSets">The golden set files.</param>
    /// <param name="settings">The archive root (for a single set only); null for each file's own.</param>
    /// <exception cref="CakeException">An archive is missing, extra or differs; every difference of every set is listed.</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Golden images")]
    public static void VerifyGoldenArchives(this ICakeContext context, IEnumerable<FilePath> goldenSets, VerifyGoldenArchivesSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(goldenSets);
        var files = goldenSets.ToList();
        if (settings?.ArchiveRoot is not null && files.Count != 1)
            throw new CakeException("VerifyGoldenArchivesSettings.ArchiveRoot names the archive root of one golden set: verify one set with it.");
        var sets = files.Select(file => LoadGoldenSet(context, file, settings?.ArchiveRoot)).ToList();
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
            context.Log.Information("golden archives verified: {0} files identical to a fresh build of {1}", set.Images.Count(i => i.Build is not null), set.File);
        }
        if (failures.Count > 0) throw new CakeException(string.Join(Environment.NewLine, failures));
    }

    /// <summary>
    /// Empties the destination registries an e2e test file lists (upstream CIP's e2e format: every registry a test lists
    /// after its first, the source): only those, and only on loopback unless <see cref="PurgeTestRegistriesSettings.AllowRemote"/>.
    /// A name that is a source, not listed, or remote is refused before any request.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="testFile">The e2e test file.</param>
    /// <param name="settings">Which destinations, and registry access; null for all destinations and the defaults.</param>
    /// <returns>What was deleted.</returns>
    /// <exception cref="CakeException">The purge was refused (the message names the registry and why).</exception>
    /// <exception cref="Promoter.PromoterException">The file is invalid or a registry failed.</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Test registries")]
    public static PurgeResult PurgeTestRegistries(this ICakeContext context, FilePath testFile, PurgeTestRegistriesSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(testFile);
        settings ??= new PurgeTestRegistriesSettings();
        var log = context.Log;
        var file = testFile.FullPath;
        var tests = E2ETestFile.Load(Absolute(context, testFile));

        var listed = tests.SelectMany(t => t.Registries.Select(r => r.Name)).Distinct(StringComparer.Ordinal).ToList();
        var sources = tests.Where(t => t.Registries.Count > 0).Select(t => t.Registries[0].Name).ToHashSet(StringComparer.Ordinal);
        var destinations = listed.Where(n => !sources.Contains(n)).ToList();
        if (settings.Only.Count > 0)
        {
            // Only the named registries; each must still be a destination the file lists (the purger refuses others).
            if (settings.Only.FirstOrDefault(sources.Contains) is { } source)
                throw new CakeException($"refusing to purge registry '{source}': it is a source registry of {file}; only destinations are purged.");
            destinations = settings.Only.ToList();
        }
        log.Information("purging {0} destination registr{1} of {2}: {3}", destinations.Count,
            destinations.Count == 1 ? "y" : "ies", file, string.Join(", ", destinations));

        using var scope = RegistryScope.Open(context, settings);
        var pool = scope.Pool;
        var purger = new RegistryPurger(pool, listed, settings.AllowRemote, line => log.Verbose("purge: {0}", line), protectedRegistries: sources);
        if (purger.Check(destinations) is { Count: > 0 } refusals)
            throw new CakeException(string.Join("\n", refusals));
        foreach (var name in destinations)
        {
            var path = RegistryPath.Parse(name); // Check parsed every name already
            if (pool.Resolve(path.Host).StorageRoot is null)
                log.Warning("{0}: no storage folder is known for {1} (RegistryStorage, --registry-storage={1}=FOLDER); manifests no tag " +
                            "reaches cannot be listed through the registry API and are left in place.", name, path.Host);
        }
        var result = purger.PurgeAsync(destinations).GetAwaiter().GetResult();
        log.Information("purged: {0}", result);
        return result;
    }

    private static IReadOnlyList<PushedReference> Push(ICakeContext context, IImageEngine engine, LoadedGolden golden, string registry,
        IProgress<ImagePushProgress>? progress)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registry);
        var log = context.Log;
        var references = GoldenPublisher.PushAsync(engine, golden, registry, progress ?? new LogProgress(log)).GetAwaiter().GetResult();
        if (engine.Counts is { } counts)
            log.Information("pushed {0} reference(s): {1} blob(s) uploaded, {2} already present, {3} manifest write(s)",
                references.Count, counts.BlobsUploaded, counts.BlobsPresent, counts.ManifestsPut);
        foreach (var pushed in references)
            log.Information("{0} {1}", pushed.Reference, pushed.Digest);
        return references;
    }

    private static GoldenSet LoadGoldenSet(ICakeContext context, FilePath file, DirectoryPath? archiveRoot) =>
        archiveRoot is null ? GoldenSet.Load(Absolute(context, file)) : GoldenSet.Load(Absolute(context, file), Absolute(context, archiveRoot));

    /// <summary>One log line per image pushed, reported one at a time (images are pushed concurrently).</summary>
    private sealed class LogProgress(ICakeLog log) : IProgress<ImagePushProgress>
    {
        private readonly Lock _gate = new();

        public void Report(ImagePushProgress value)
        {
            if (!value.Done) return;
            lock (_gate) log.Information("pushed {0}", value.Image);
        }
    }
}
