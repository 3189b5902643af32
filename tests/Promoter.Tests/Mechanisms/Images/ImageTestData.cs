using System.Formats.Tar;
using Promoter.Tests.Support;

namespace Promoter.Tests.Images;

/// <summary>Paths of upstream's golden set in the repository, temp folders and small tar helpers for the image tests.</summary>
internal static class ImageTestData
{
    /// <summary>images/golden/upstream: upstream CIP's golden set (golden.yaml), its data files (src/) and archives.</summary>
    public static readonly string UpstreamRoot = Path.Combine(RepoRoot, "images", "golden", "upstream");

    /// <summary>The committed upstream archives (byte for byte upstream's).</summary>
    public static readonly string ArchiveRoot = Path.Combine(UpstreamRoot, "archives");

    /// <summary>(archive path relative to ArchiveRoot, image, tag) of the four upstream archives.</summary>
    public static readonly (string Archive, string Image, string Tag)[] Upstream =
    [
        ("bar/1.0.tar", "bar", "1.0"),
        ("foo/1.0-linux_amd64.tar", "foo", "1.0-linux_amd64"),
        ("foo/1.0-linux_s390x.tar", "foo", "1.0-linux_s390x"),
        ("foo/NOTAG-0.tar", "foo", "NOTAG-0"),
    ];

    public static string Archive(string relative) => Path.Combine(ArchiveRoot, relative);

    /// <summary>The data file an upstream image carries, e.g. <c>src/foo/1.0-linux_s390x</c>.</summary>
    public static string Source(string image, string tag) => Path.Combine(UpstreamRoot, "src", image, tag);

    /// <summary>The repository root (the folder holding Promoter.slnx).</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Promoter.slnx"))) return dir.FullName;
            throw new InvalidOperationException("Promoter.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Copies a tar, letting <paramref name="change"/> drop (return null) or replace entry data by name.</summary>
    public static void RewriteTar(string source, string target, Func<string, byte[], byte[]?> change)
    {
        using var input = File.OpenRead(source);
        using var output = File.Create(target);
        using var reader = new TarReader(input);
        using var writer = new TarWriter(output, TarEntryFormat.Ustar);
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            if (entry.EntryType is TarEntryType.Directory)
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, entry.Name));
                continue;
            }
            var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            var replaced = change(entry.Name, data.ToArray());
            if (replaced is null) continue;
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, entry.Name) { DataStream = new MemoryStream(replaced) });
        }
    }

    /// <summary>The data offset of entry <paramref name="name"/> in a tar file.</summary>
    public static long DataOffset(string tarPath, string name)
    {
        using var input = File.OpenRead(tarPath);
        using var reader = new TarReader(input);
        while (reader.GetNextEntry() is { } entry)
            if (entry.Name == name) return entry.DataOffset;
        throw new InvalidOperationException($"{name} not in {tarPath}");
    }

    /// <summary>Runs a program and returns its standard output; throws on a non-zero exit.</summary>
    public static string Run(string program, params string[] args) => ExternalTool.Check(program, args);
}

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "promoter-images-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
