namespace Promoter.Archives;

/// <summary>A file of a layer to build.</summary>
/// <param name="Path">Path inside the image, relative, '/'-separated, e.g. <c>data/foo/1.0</c>; parent directories are added.</param>
/// <param name="Content">The file content.</param>
/// <param name="Mode">Permission bits (0 to 07777 octal), e.g. 0555.</param>
public sealed record LayerFile(string Path, byte[] Content, int Mode = LayerFile.ReadOnlyExecutableMode)
{
    /// <summary>Octal 0555 (read-only, executable), the mode of upstream CIP's test data files.</summary>
    public const int ReadOnlyExecutableMode = 0x16D;
}
