namespace Promoter.Archives;

/// <summary>
/// An image archive (a <c>docker save</c> tarball or an OCI image-layout tarball) is missing, truncated,
/// corrupt or inconsistent. The message names the archive path, the entry or field concerned, and what
/// was expected.
/// </summary>
public sealed class ImageArchiveException : PromoterException
{
    /// <summary>Creates the exception for <paramref name="archivePath"/>.</summary>
    /// <param name="archivePath">The archive file the problem was found in.</param>
    /// <param name="message">What was wrong and what was expected; prefixed with the archive path.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ImageArchiveException(string archivePath, string message, Exception? inner = null)
        : base($"{archivePath}: {message}", inner)
    {
        ArchivePath = archivePath;
    }

    /// <summary>The archive file the problem was found in.</summary>
    public string ArchivePath { get; }

    /// <inheritdoc />
    public override string? Subject => ArchivePath;
}
