using Promoter.Oci;

namespace Promoter.Golden;

/// <summary>One archive written by <see cref="GoldenBuilder.Build"/>.</summary>
/// <param name="Image">The <see cref="GoldenSetImage.Name"/> of the image.</param>
/// <param name="Archive">The archive path relative to the output folder, '/'-separated, as in the golden set file.</param>
/// <param name="Path">The full path written.</param>
/// <param name="Sha256">The sha256 digest of the archive file.</param>
/// <param name="Size">The size of the archive file in bytes.</param>
public sealed record GoldenBuiltArchive(string Image, string Archive, string Path, Digest Sha256, long Size);
