namespace Promoter.Inputs;

/// <summary>
/// An input file cannot be used: it does not exist, is not a regular file (a FIFO, a device, a directory, a socket),
/// is larger than its bound, or cannot be read. The message is <c>path: reason</c>. One of the library's exceptions
/// (<see cref="PromoterException"/>), so it reaches the user as that one line.
/// </summary>
public sealed class InputFileException : PromoterException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file as it was named to the loader.</param>
    /// <param name="reason">What is wrong, without the path, e.g. <c>not a regular file (a named pipe)</c>.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public InputFileException(string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file as it was named to the loader.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the path (for loaders that put the path in their own error shape).</summary>
    public string Reason { get; }

    /// <inheritdoc />
    public override string? Subject => Path;
}
