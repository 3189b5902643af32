using System.Formats.Tar;
using System.Security.Cryptography;

namespace Build.Tests.Harness;

/// <summary>A temporary folder holding golden set files and archive copies for one test; deleted on dispose.</summary>
internal sealed class GoldenScratch : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("golden-scratch-").FullName;

    /// <summary>The archive root of the scratch golden sets.</summary>
    public string Archives => Directory.CreateDirectory(Path.Combine(Folder, "archives")).FullName;

    /// <summary>Copies an upstream archive (e.g. <c>bar/1.0.tar</c>) unchanged under <paramref name="name"/>.</summary>
    public string CopyUpstream(string upstream, string name)
    {
        var target = Path.Combine(Archives, name);
        File.Copy(Path.Combine(BuildProgram.UpstreamArchives, upstream), target);
        File.SetAttributes(target, FileAttributes.Normal);
        return target;
    }

    /// <summary>Writes the first <paramref name="bytes"/> bytes of an upstream archive.</summary>
    public string Truncated(string upstream, string name, int bytes)
    {
        var all = File.ReadAllBytes(Path.Combine(BuildProgram.UpstreamArchives, upstream));
        var target = Path.Combine(Archives, name);
        File.WriteAllBytes(target, all[..bytes]);
        return target;
    }

    /// <summary>
    /// Copies an upstream archive entry by entry; <paramref name="change"/> gets each entry's name and content and
    /// returns the content to write, or null to leave the entry out.
    /// </summary>
    public string Rewritten(string upstream, string name, Func<string, byte[]?, byte[]?> change)
    {
        var target = Path.Combine(Archives, name);
        using var input = File.OpenRead(Path.Combine(BuildProgram.UpstreamArchives, upstream));
        using var reader = new TarReader(input);
        using var output = File.Create(target);
        using var writer = new TarWriter(output, TarEntryFormat.Ustar);
        while (reader.GetNextEntry() is { } entry)
        {
            byte[]? content = null;
            if (entry.DataStream is { } data)
            {
                using var buffer = new MemoryStream();
                data.CopyTo(buffer);
                content = buffer.ToArray();
            }
            if (entry.EntryType == TarEntryType.Directory)
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, entry.Name));
                continue;
            }
            var changed = change(entry.Name, content);
            if (changed is null) continue;
            var copy = new UstarTarEntry(TarEntryType.RegularFile, entry.Name) { DataStream = new MemoryStream(changed) };
            writer.WriteEntry(copy);
        }
        return target;
    }

    /// <summary>
    /// Writes an OCI image layout whose only manifest has the media type <paramref name="mediaType"/> (in index.json and
    /// in the manifest), with a config blob; every blob is named by its true sha256.
    /// </summary>
    public string OciLayout(string name, string mediaType)
    {
        var config = """{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"""u8.ToArray();
        var manifest = System.Text.Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{mediaType}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":{{config.Length}},"digest":"{{Sha256(config)}}"},"layers":[]}""");
        var index = System.Text.Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"{{mediaType}}","size":{{manifest.Length}},"digest":"{{Sha256(manifest)}}"}]}""");
        var target = Path.Combine(Archives, name);
        using var output = File.Create(target);
        using var writer = new TarWriter(output, TarEntryFormat.Ustar);
        foreach (var (path, bytes) in new[]
                 {
                     ("oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray()), ("index.json", index),
                     ("blobs/sha256/" + Sha256(config)[7..], config), ("blobs/sha256/" + Sha256(manifest)[7..], manifest),
                 })
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(bytes) });
        return target;
    }

    /// <summary>Writes a golden set YAML file and returns its path.</summary>
    public string GoldenSet(string name, string yaml)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }
}
