using Cake.Core.IO;

namespace Cake.ImagePromoter;

/// <summary>Where <see cref="ImagePromoterAliases.VerifyGoldenArchives(Cake.Core.ICakeContext, FilePath, VerifyGoldenArchivesSettings?)"/> finds the archives.</summary>
public sealed class VerifyGoldenArchivesSettings
{
    /// <summary>Where the set's archives are; null for the file's own <c>archiveRoot:</c>.</summary>
    public DirectoryPath? ArchiveRoot { get; set; }
}
