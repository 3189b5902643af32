using System.Formats.Tar;
using Promoter.Inputs;

namespace Promoter.Archives;

/// <summary>
/// Reads the headers of a tar file once (System.Formats.Tar) and remembers where every file's data lies,
/// so that entries can later be opened as bounded slices of the file without extracting anything.
/// Detects truncation: every entry's data and the end-of-archive marker (two zero blocks) must lie
/// inside the file.
/// </summary>
internal sealed class TarIndex
{
    private readonly Dictionary<string, TarFileEntry> _files;

    private TarIndex(string path, Dictionary<string, TarFileEntry> files)
    {
        Path = path;
        _files = files;
    }

    public string Path { get; }

    public IEnumerable<TarFileEntry> Files => _files.Values;

    /// <exception cref="ImageArchiveException">Missing or not a regular file (<see cref="InputFile.Problem"/>), not a tar, truncated, duplicate entry names.</exception>
    public static TarIndex Read(string path)
    {
        if (InputFile.Problem(path) is { } problem)
            throw new ImageArchiveException(path, problem);
        var files = new Dictionary<string, TarFileEntry>(StringComparer.Ordinal);
        using var stream = File.OpenRead(path);
        var fileLength = stream.Length;
        if (fileLength == 0)
            throw new ImageArchiveException(path, "the archive is empty; expected a tar file.");
        long end = 0;
        var count = 0;
        try
        {
            using var reader = new TarReader(stream, leaveOpen: true);
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                count++;
                var name = Normalise(entry.Name);
                var dataEnd = entry.DataOffset < 0 ? stream.Position : entry.DataOffset + entry.Length;
                if (entry.DataOffset >= 0 && dataEnd > fileLength)
                    throw new ImageArchiveException(path,
                        $"the archive is truncated: entry '{entry.Name}' needs {entry.Length} bytes of data from offset {entry.DataOffset} but the file is {fileLength} bytes long.");
                end = entry.DataOffset >= 0 ? RoundUp(dataEnd) : dataEnd;
                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        Add(path, files, new TarFileEntry(name, entry.DataOffset, entry.Length, null));
                        break;
                    case TarEntryType.SymbolicLink:
                        Add(path, files, new TarFileEntry(name, -1, 0, ResolveLink(name, entry.LinkName, relative: true)));
                        break;
                    case TarEntryType.HardLink:
                        Add(path, files, new TarFileEntry(name, -1, 0, ResolveLink(name, entry.LinkName, relative: false)));
                        break;
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or IOException or Promoter.Inputs.InputFileException)
        {
            throw new ImageArchiveException(path, $"not a readable tar file (truncated or corrupt): {e.Message}", e);
        }
        if (count == 0)
            throw new ImageArchiveException(path, "the archive holds no tar entries; expected a tar file.");
        if (end + 1024 > fileLength)
            throw new ImageArchiveException(path,
                $"the archive is truncated: the end-of-archive marker (1024 zero bytes after offset {end}) is missing; the file is {fileLength} bytes long.");
        return new TarIndex(path, files);
    }

    /// <summary>The entry named <paramref name="name"/> (leading <c>./</c> ignored), links followed; null when absent.</summary>
    public TarFileEntry? Find(string name)
    {
        var key = Normalise(name);
        for (var hops = 0; hops < 16; hops++)
        {
            if (!_files.TryGetValue(key, out var entry)) return null;
            if (entry.LinkTarget is null) return entry;
            key = entry.LinkTarget;
        }
        throw new ImageArchiveException(Path, $"entry '{name}' is a chain of more than 16 links.");
    }

    /// <summary>Opens the data of <paramref name="entry"/> as a read-only stream over the tar file.</summary>
    public Stream Open(TarFileEntry entry) => new FileSliceStream(Path, entry.DataOffset, entry.Length);

    /// <summary>Reads the whole data of <paramref name="entry"/> (for small JSON entries).</summary>
    public byte[] ReadAll(TarFileEntry entry)
    {
        using var stream = Open(entry);
        var bytes = new byte[entry.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    internal static string Normalise(string name)
    {
        while (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
        return name.TrimStart('/');
    }

    private static string ResolveLink(string name, string target, bool relative)
    {
        if (!relative || target.StartsWith('/')) return Normalise(target);
        var parts = new List<string>(name.Split('/')[..^1]);
        foreach (var part in target.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
            else parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private static void Add(string path, Dictionary<string, TarFileEntry> files, TarFileEntry entry)
    {
        if (!files.TryAdd(entry.Name, entry))
            throw new ImageArchiveException(path, $"entry '{entry.Name}' appears more than once; expected unique entry names.");
    }

    private static long RoundUp(long offset) => (offset + 511) / 512 * 512;
}
