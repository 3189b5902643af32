namespace Promoter.Archives;

/// <summary>One regular file (or link to one) inside a tar file: where its data starts and how long it is.</summary>
/// <param name="Name">The entry name with any leading <c>./</c> removed.</param>
/// <param name="DataOffset">Byte offset of the entry's data from the start of the tar file.</param>
/// <param name="Length">Data length in bytes.</param>
/// <param name="LinkTarget">For a symbolic or hard link: the normalised name of the entry it points to.</param>
internal sealed record TarFileEntry(string Name, long DataOffset, long Length, string? LinkTarget);
