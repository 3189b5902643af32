using Promoter.Promotion.Engine;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Images;
using Promoter.Promotion;
using Promoter.Publishing;
using Promoter.Registry;

namespace Build.Engines;

/// <summary>
/// The daemonless engine: archives are read and verified in-process and pushed blob by blob with deterministic
/// manifests (<see cref="GoldenPusher"/>), so digests depend on the archives alone, not on a Docker version.
/// </summary>
public sealed class OciGoldenEngine(RegistryPool pool, ICakeLog log) : IGoldenEngine
{
    /// <inheritdoc />
    public LoadedGolden Load(GoldenSet set)
    {
        IReadOnlyDictionary<string, PushableImage> images;
        try { images = set.OpenImages(); }
        catch (Exception exception) when (exception is ImageArchiveException or GoldenSetException or IOException)
        {
            throw new CakeException(exception.Message);
        }
        foreach (var (name, image) in images)
            log.Information("verified {0}: {1} ({2} blobs)", name, image.ManifestDigest, image.Blobs.Count());
        return new LoadedGolden(set, images, new Dictionary<string, string>());
    }

    /// <inheritdoc />
    public IReadOnlyList<PushedReference> Push(LoadedGolden golden, string registryName)
    {
        var path = RegistryPath.Parse(registryName);
        var client = pool.For(path.Host);
        try
        {
            var report = PushProgressDisplay.Run(log, golden.Set.Images.Select(i => i.Name),
                progress => new GoldenPusher(client, path.Prefix, progress).PushAsync(golden.Set, golden.Images));
            log.Information("pushed {0} reference(s): {1} blob(s) uploaded, {2} already present, {3} manifest write(s)",
                report.References.Count, report.BlobsUploaded, report.BlobsPresent, report.ManifestsPut);
            return report.References;
        }
        catch (RegistryException exception)
        {
            throw new CakeException($"PushSrc to {registryName}: {exception.Message}");
        }
    }
}
