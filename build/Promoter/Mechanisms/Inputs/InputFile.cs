using System.Runtime.InteropServices;
using System.Text;

namespace Promoter.Inputs;

/// <summary>What is at a path, as <c>stat(2)</c> tells it.</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    NamedPipe,
    CharacterDevice,
    BlockDevice,
    Socket,
    Unknown,
}

/// <summary>
/// The one gate an input file passes before a loader reads it: it must be a regular file (symbolic links followed)
/// and, when read whole, no larger than a bound. The type is looked up without opening the file (<c>statx(2)</c> on
/// Linux), so a FIFO is refused at once instead of blocking the open, and a device such as <c>/dev/zero</c> is refused
/// instead of being read until memory runs out. Every failure is an <see cref="InputFileException"/> whose message is
/// <c>path: reason</c>, e.g. <c>manifests/x.yaml: not a regular file (a named pipe)</c>. Other systems than Linux fall
/// back to the managed file API, which tells directories from files but not FIFOs or devices from regular files.
/// </summary>
public static class InputFile
{
    /// <summary>The bound of a YAML or JSON input read whole (16 MiB).</summary>
    public const long MaxTextBytes = 16L * 1024 * 1024;

    /// <summary>The bound of a binary input read whole into memory, e.g. a file copied into an image layer (1 GiB).</summary>
    public const long MaxInMemoryBytes = 1L << 30;

    /// <summary>
    /// Why <paramref name="path"/> is not a usable input file, or null when it names a regular file (after following
    /// symbolic links). The reason has no path in it: <c>does not exist</c>, <c>not a regular file (a named pipe)</c>,
    /// <c>not a regular file (a directory)</c>, ...
    /// </summary>
    /// <param name="path">The file as the user named it.</param>
    public static string? Problem(string path)
    {
        var (kind, error) = Stat(path, followLinks: true);
        return kind switch
        {
            FileKind.Regular => null,
            FileKind.Missing when Stat(path, followLinks: false).Kind == FileKind.SymbolicLink =>
                $"does not exist (a symbolic link to '{LinkTarget(path)}', which does not exist)",
            FileKind.Missing => "does not exist",
            FileKind.Directory => "not a regular file (a directory)",
            FileKind.NamedPipe => "not a regular file (a named pipe)",
            FileKind.CharacterDevice => "not a regular file (a character device)",
            FileKind.BlockDevice => "not a regular file (a block device)",
            FileKind.Socket => "not a regular file (a socket)",
            _ => error ?? "not a regular file",
        };
    }

    /// <summary>True when nothing at all is at <paramref name="path"/> (not even a dangling symbolic link).</summary>
    public static bool IsAbsent(string path) => Stat(path, followLinks: false).Kind == FileKind.Missing;

    /// <summary>Throws unless <paramref name="path"/> names a regular file (see <see cref="Problem"/>).</summary>
    /// <exception cref="InputFileException">It does not, with the reason.</exception>
    public static void Check(string path)
    {
        if (Problem(path) is { } problem) throw new InputFileException(path, problem);
    }

    /// <summary>Checks <paramref name="path"/> and opens it for reading (shared read, sequential).</summary>
    /// <exception cref="InputFileException">Not a regular file, or it cannot be opened.</exception>
    public static FileStream OpenRead(string path)
    {
        Check(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException(path, $"cannot be read ({e.Message})", e);
        }
    }

    /// <summary>
    /// Reads a text file whole (UTF-8 unless a byte-order mark says otherwise, as <see cref="File.ReadAllText(string)"/>)
    /// after checking it is a regular file of at most <paramref name="maxBytes"/> bytes.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The bound, in bytes (default <see cref="MaxTextBytes"/>).</param>
    /// <exception cref="InputFileException">Not a regular file, larger than the bound (the message gives both sizes), or unreadable.</exception>
    public static string ReadAllText(string path, long maxBytes = MaxTextBytes)
    {
        var bytes = ReadAllBytes(path, maxBytes);
        using var reader = new StreamReader(new MemoryStream(bytes, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Reads a file whole after checking it is a regular file of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The bound, in bytes (at most <see cref="MaxInMemoryBytes"/>).</param>
    /// <exception cref="InputFileException">Not a regular file, larger than the bound (also when it grows while read), or unreadable.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is negative or above <see cref="MaxInMemoryBytes"/>.</exception>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, MaxInMemoryBytes);
        using var stream = OpenRead(path);
        try
        {
            var length = stream.Length;
            if (length > maxBytes) throw TooLarge(path, length, maxBytes);
            using var content = new MemoryStream((int)length);
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk)) > 0)
            {
                if (content.Length + read > maxBytes) throw TooLarge(path, content.Length + read, maxBytes);
                content.Write(chunk, 0, read);
            }
            return content.ToArray();
        }
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not InputFileException)
        {
            throw new InputFileException(path, $"cannot be read ({e.Message})", e);
        }
    }

    /// <summary>A byte count for messages: <c>17.0 MiB (17825792 bytes)</c>, or <c>512 bytes</c> below 1 KiB.</summary>
    internal static string Size(long bytes) =>
        bytes switch
        {
            < 1024 => $"{bytes} bytes",
            < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB ({bytes} bytes)",
            < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB ({bytes} bytes)",
            _ => $"{bytes / (1024.0 * 1024 * 1024):0.0} GiB ({bytes} bytes)",
        };

    private static InputFileException TooLarge(string path, long size, long bound) =>
        new(path, $"is {Size(size)}, over the bound of {Size(bound)} for this input; expected a smaller file");

    /// <summary>The target text of the symbolic link <paramref name="path"/>, or <c>?</c> when it cannot be read.</summary>
    internal static string LinkTarget(string path)
    {
        try { return new FileInfo(path).LinkTarget ?? "?"; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return "?"; }
    }

    // ---- stat ----

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28; // struct statx: __u16 stx_mode after mask, blksize, attributes, nlink, uid, gid
    private const int ENOENT = 2, ENOTDIR = 20, ENOSYS = 38, ELOOP = 40;
    private static volatile bool _noStatx = !OperatingSystem.IsLinux();

    /// <summary>
    /// The kind of file at <paramref name="path"/>, following symbolic links or not (<c>stat</c> or <c>lstat</c>), and
    /// for <see cref="FileKind.Unknown"/> the reason the lookup failed (a loop of links, permission denied).
    /// </summary>
    internal static (FileKind Kind, string? Error) Stat(string path, bool followLinks)
    {
        if (string.IsNullOrEmpty(path)) return (FileKind.Missing, null);
        if (!_noStatx)
        {
            var buffer = new byte[256];
            try
            {
                if (StatX(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, buffer) == 0)
                    return (KindOf(BitConverter.ToUInt16(buffer, StatxModeOffset)), null);
                var errno = Marshal.GetLastPInvokeError();
                switch (errno)
                {
                    case ENOENT or ENOTDIR: return (FileKind.Missing, null);
                    case ELOOP: return (FileKind.Unknown, "cannot be resolved (a loop of symbolic links)");
                    case ENOSYS: _noStatx = true; break;
                    default: return (FileKind.Unknown, $"cannot be examined ({Marshal.GetPInvokeErrorMessage(errno)})");
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _noStatx = true; // a C library without statx (glibc before 2.28, musl before 1.2.5)
            }
        }
        return ManagedStat(path, followLinks);
    }

    private static (FileKind, string?) ManagedStat(string path, bool followLinks)
    {
        try
        {
            var info = new FileInfo(path);
            if (!followLinks && info.LinkTarget is not null) return (FileKind.SymbolicLink, null);
            if (Directory.Exists(path)) return (FileKind.Directory, null);
            return File.Exists(path) ? (FileKind.Regular, null) : (FileKind.Missing, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (FileKind.Unknown, $"cannot be examined ({e.Message})");
        }
    }

    private static FileKind KindOf(ushort mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0x1000 => FileKind.NamedPipe,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Unknown,
    };

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int StatX(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
