using System.Globalization;

namespace Promoter.Promotion.Engine;

/// <summary>What a plan sends into one destination registry.</summary>
/// <param name="Registry">The destination registry (host, as the edges name it).</param>
/// <param name="Blobs">Distinct blobs (configs and layers) the copied manifests refer to, brought from another registry: each
/// counts once per registry however many images and repositories share it. Blobs the registry already holds are not
/// sent; the plan does not ask, so this is what a cold registry receives.</param>
/// <param name="Bytes">Their sizes added up, from the source manifests' descriptors.</param>
/// <param name="Manifests">Manifests written (copied images, children of indexes, attachment manifests).</param>
/// <param name="ManifestBytes">Their sizes added up.</param>
/// <param name="MountedBlobs">Distinct blobs copied within the registry (source and destination are the same registry): mounted,
/// no bytes moved; not counted in <paramref name="Blobs"/>.</param>
public sealed record RegistryEgress(string Registry, int Blobs, long Bytes, int Manifests, long ManifestBytes, int MountedBlobs)
{
    /// <summary>One line, e.g. <c>egress us.gcr.io: 12 blob(s), 4.2 MiB; 6 manifest(s), 3.1 KiB</c>.</summary>
    public override string ToString() =>
        $"egress {Registry}: {Blobs} blob(s), {Size(Bytes)}; {Manifests} manifest(s), {Size(ManifestBytes)}" +
        (MountedBlobs > 0 ? $"; {MountedBlobs} blob(s) mounted within the registry" : "");

    /// <summary>Bytes in B, KiB, MiB or GiB with one decimal.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.0} GiB"),
    };
}
