using Promoter.Images;
using Promoter.Archives;

namespace Promoter.Golden;

/// <summary>
/// Loads a golden set into an image engine and pushes it into a source registry: every image with its tags (tagless
/// ones by digest only), then each manifest list as soon as its own children are in. The engine decides the bytes
/// (see <see cref="IImageEngine"/>); this class decides what goes where.
/// </summary>
public static class GoldenPublisher
{
    /// <summary>
    /// Verifies every archive in-process first (digests, and each config's platform against the file: a bad archive
    /// late in the set stops the run before any engine work), then loads them into <paramref name="engine"/>, four at once.
    /// </summary>
    /// <exception cref="ImageArchiveException">An archive is missing or corrupt.</exception>
    /// <exception cref="Yaml.InputFormatException">A config declares another platform than the file says.</exception>
    /// <exception cref="ImageEngineException">The engine failed to load an archive.</exception>
    public static async Task<LoadedGolden> LoadAsync(IImageEngine engine, GoldenSet set, CancellationToken cancellationToken = default)
    {
        var verified = set.OpenImages();
        var loaded = new System.Collections.Concurrent.ConcurrentDictionary<string, EngineImage>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(set.Images, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (image, ct) => loaded[image.Name] = await engine.LoadAsync(image.ArchivePath, image.Name, verified[image.Name], ct));
        return new LoadedGolden(set, set.Images.ToDictionary(i => i.Name, i => loaded[i.Name], StringComparer.Ordinal));
    }

    /// <summary>
    /// Pushes <paramref name="golden"/> into <paramref name="registry"/> (<c>host[:port][/prefix]</c>). Images go up at once;
    /// each manifest list starts when its children are in. Returns every reference: the images' in the set's order, then the lists'.
    /// The first failure is rethrown as it was thrown, after every started push has ended.
    /// </summary>
    /// <exception cref="Promoter.Registry.RegistryException">A registry refused or could not be reached.</exception>
    /// <exception cref="ImageEngineException">The engine failed otherwise.</exception>
    public static async Task<IReadOnlyList<PushedReference>> PushAsync(IImageEngine engine, LoadedGolden golden, string registry,
        IProgress<ImagePushProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var set = golden.Set;
        var images = set.Images.ToDictionary(i => i.Name, image => Task.Run(() => engine.PushAsync(golden.Images[image.Name],
            new PushTarget(registry, image.Repository, image.Tagless ? [] : image.Tags), progress, cancellationToken), cancellationToken));
        var lists = set.ManifestLists.Select(list => Task.Run(async () =>
        {
            await Task.WhenAll(list.Entries.Select(e => images[e.Image]));
            var children = list.Entries.Select(e => new IndexChild(golden.Images[e.Image], e.Platform)).ToList();
            var pushed = await engine.PushIndexAsync(children, new PushTarget(registry, list.Repository, [list.Tag]), cancellationToken);
            progress?.Report(new ImagePushProgress($"{list.Repository}:{list.Tag}", 0, 0, true));
            return pushed;
        }, cancellationToken)).ToList();

        Task[] all = [.. set.Images.Select(i => images[i.Name]), .. lists];
        try
        {
            await Task.WhenAll(all);
        }
        catch
        {
            // Every push has ended: report the failure of the first image in the set's order (then the lists'), as it was thrown.
            var first = all.First(t => t.IsFaulted || t.IsCanceled);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first.Exception?.InnerExceptions[0]
                ?? new OperationCanceledException(cancellationToken)).Throw();
        }
        return [.. set.Images.SelectMany(i => images[i.Name].Result), .. lists.Select(l => l.Result)];
    }
}
