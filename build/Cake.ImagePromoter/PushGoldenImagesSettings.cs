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
