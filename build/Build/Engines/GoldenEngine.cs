using Promoter.Promotion.Engine;
using Build.Settings;
using Cake.Core;
using Promoter.Images;
using Promoter.Publishing;

namespace Build.Engines;

/// <summary>The golden set as LoadTarballs left it for PushSrc and E2E.</summary>
/// <param name="Set">The golden set description.</param>
/// <param name="Images">oci engine: the verified, pushable images by golden-set name; empty for the docker engine.</param>
/// <param name="DockerNames">docker engine: the name (or image ID) <c>docker load</c> reported per golden-set name.</param>
public sealed record LoadedGolden(GoldenSet Set, IReadOnlyDictionary<string, PushableImage> Images, IReadOnlyDictionary<string, string> DockerNames);

/// <summary>How golden archives are loaded and pushed: daemonless (<c>oci</c>) or through docker (<c>docker</c>).</summary>
public interface IGoldenEngine
{
    /// <summary>Reads and verifies (oci) or docker-loads (docker) every archive of the golden set.</summary>
    /// <exception cref="CakeException">An archive is missing or corrupt, or docker failed.</exception>
    LoadedGolden Load(GoldenSet set);

    /// <summary>Pushes the loaded set into <paramref name="registryName"/> (<c>host[/prefix]</c>) and returns every reference with its digest.</summary>
    /// <exception cref="CakeException">The registry or docker refused.</exception>
    IReadOnlyList<PushedReference> Push(LoadedGolden golden, string registryName);
}

/// <summary>Chooses the engine and loads golden set files.</summary>
public static class GoldenEngines
{
    /// <summary>The engine <paramref name="kind"/> names, over the run's registries (the docker engine through <paramref name="cake"/>'s docker aliases).</summary>
    public static IGoldenEngine For(ImageEngineKind kind, ICakeContext cake, RegistryPool pool) =>
        kind == ImageEngineKind.Docker ? new DockerGoldenEngine(cake, pool) : new OciGoldenEngine(pool, cake.Log);

    /// <summary>Loads the golden set file of <paramref name="settings"/> (file, and archive root when given).</summary>
    /// <exception cref="CakeException">The file is invalid (the message gives file, line and field).</exception>
    public static GoldenSet LoadSet(GoldenSettings settings)
    {
        try
        {
            return settings.Archives is { } archives ? GoldenSet.Load(settings.SetFile, archives) : GoldenSet.Load(settings.SetFile);
        }
        catch (Exception exception) when (exception is GoldenSetException or ImageArchiveException or IOException)
        {
            throw new CakeException(exception.Message);
        }
    }
}
