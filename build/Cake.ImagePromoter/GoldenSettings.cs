using Cake.Core.IO;
using Promoter.Images;

namespace Cake.ImagePromoter;

/// <summary>How <see cref="ImagePromoterAliases.PushGoldenImages(Cake.Core.ICakeContext, FilePath, string, PushGoldenImagesSettings?)"/> pushes a golden set.</summary>
public sealed class PushGoldenImagesSettings : ImagePromoterSettings
{
    /// <summary>Where the set's archives are; null for the file's own <c>archiveRoot:</c>.</summary>
    public DirectoryPath? ArchiveRoot { get; set; }

    /// <summary>The image engine that loads and pushes; null for the in-process engine (archives pushed blob by blob as
    /// Docker schema 2 manifests, digests depending on the archive alone).</summary>
    public IImageEngine? Engine { get; set; }

    /// <summary>Receives each image's progress; null: a log line per image pushed.</summary>
    public IProgress<ImagePushProgress>? Progress { get; set; }
}

/// <summary>Where <see cref="ImagePromoterAliases.VerifyGoldenArchives(Cake.Core.ICakeContext, FilePath, VerifyGoldenArchivesSettings?)"/> finds the archives.</summary>
public sealed class VerifyGoldenArchivesSettings
{
    /// <summary>Where the set's archives are; null for the file's own <c>archiveRoot:</c>.</summary>
    public DirectoryPath? ArchiveRoot { get; set; }
}

/// <summary>Which registries <see cref="ImagePromoterAliases.PurgeTestRegistries"/> empties.</summary>
public sealed class PurgeTestRegistriesSettings : ImagePromoterSettings
{
    /// <summary>Only these destinations of the e2e file (each must be one it lists, never a source); empty for all of them.</summary>
    public ICollection<string> Only { get; set; } = new List<string>();

    /// <summary>Also purge registries that are not on loopback; refused by default.</summary>
    public bool AllowRemote { get; set; }
}
