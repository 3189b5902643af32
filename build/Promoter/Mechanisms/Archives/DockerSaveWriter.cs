using System.Text.Json;
using Promoter.Oci;

namespace Promoter.Archives;

/// <summary>
/// Writes images as <c>docker save</c> tarballs, byte for byte reproducibly: the same <see cref="DockerSaveImage"/>
/// always gives the same bytes. The shape is that of upstream CIP's test-image archives (this folder's README): Bazel's
/// layer tars and config, saved by the moby daemon's <c>docker save</c>; described the same way, those archives come out
/// byte for byte.
/// <list type="bullet">
/// <item>each layer tar: GNU headers, entries <c>./</c>, every parent directory (mode 0755) and every file, sorted by
///   name, mtime 0, uid/gid 0, empty uname/gname, padded to 10240-byte records; a layer without files is an empty tar
///   (10240 zero bytes);</item>
/// <item>the config <c>&lt;sha256&gt;.json</c>: <c>architecture</c>, <c>author</c>?, <c>created</c> 1970-01-01T00:00:00Z,
///   one <c>history</c> entry per layer, <c>os</c>, <c>variant</c> (when set), <c>rootfs</c> (type layers, diff_ids), <c>config</c> {} - in that order;</item>
/// <item>per layer a folder <c>&lt;v1 id&gt;/</c> with <c>VERSION</c> (<c>1.0</c>), <c>json</c> and <c>layer.tar</c>: docker's
///   legacy v1 ids and records over the chain ids (<see cref="DockerSaveV1"/>);</item>
/// <item><c>manifest.json</c> (Config, RepoTags, Layers) and <c>repositories</c> (omitted when there are no RepoTags), each
///   compact JSON ending in a newline;</item>
/// <item>the outer tar: POSIX ustar headers, entries sorted by name, files 0644, folders 0755, mtime 0, owner 0:0.</item>
/// </list>
/// </summary>
public static class DockerSaveWriter
{
    /// <summary>The fixed timestamp of configs and history entries.</summary>
    public const string Epoch = "1970-01-01T00:00:00Z";

    private const int DirectoryMode = 0x1ED; // 0755
    private const int ArchiveFileMode = 0x1A4; // 0644

    /// <summary>Writes <paramref name="image"/> as a docker save tarball to <paramref name="path"/> (replacing it).</summary>
    /// <exception cref="ArgumentException">A bad file path, duplicate path, name over 100 bytes, bad mode, RepoTag or time zone.</exception>
    public static void Write(DockerSaveImage image, string path)
    {
        // Written beside the target and renamed over it: an interrupted write never leaves a truncated archive.
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write)) Write(image, file);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="image"/> as a docker save tarball to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">A bad file path, duplicate path, name over 100 bytes, bad mode, RepoTag or time zone.</exception>
    public static void Write(DockerSaveImage image, Stream output) => Write(image, [], output);

    /// <summary>
    /// Writes <paramref name="image"/> on top of ready-made base layer tars (e.g. the layers of a base image archive,
    /// unchanged) as a docker save tarball to <paramref name="output"/>: the base layers come first, then the image's
    /// own layers; the config's <c>rootfs.diff_ids</c> and <c>history</c> cover all of them.
    /// </summary>
    /// <param name="image">The image; its <see cref="DockerSaveImage.Layers"/> may be empty when base layers are given.</param>
    /// <param name="baseLayers">Uncompressed layer tars, base first (may be empty).</param>
    /// <param name="output">Receives the archive.</param>
    /// <exception cref="ArgumentException">No layer at all, a bad file path, duplicate path, name over 100 bytes, bad mode, RepoTag or time zone.</exception>
    public static void Write(DockerSaveImage image, IReadOnlyList<byte[]> baseLayers, Stream output)
    {
        if (image.Layers.Count + baseLayers.Count == 0) throw new ArgumentException("An image needs at least one layer.", nameof(image));
        var layerTars = baseLayers.Concat(image.Layers.Select(WriteLayer)).ToList();
        var diffIds = layerTars.Select(t => Digest.Of(t)).ToList();
        var config = WriteConfig(image, diffIds);
        var configDigest = Digest.Of(config);

        var entries = new SortedDictionary<string, byte[]?>(StringComparer.Ordinal);
        var v1Layers = DockerSaveV1.Layers(image, diffIds);
        var ids = v1Layers.Select(l => l.Id).ToList();
        for (var i = 0; i < layerTars.Count; i++)
        {
            var id = ids[i];
            entries[id + "/"] = null;
            entries[id + "/VERSION"] = "1.0"u8.ToArray();
            entries[id + "/json"] = v1Layers[i].Json;
            entries[id + "/layer.tar"] = layerTars[i];
        }
        entries[configDigest.Hex + ".json"] = config;
        // docker writes manifest.json and repositories with Go's json.Encoder, which ends each document with a newline.
        entries["manifest.json"] = EncoderOutput(json =>
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("Config", configDigest.Hex + ".json");
            if (image.RepoTags.Count == 0) json.WriteNull("RepoTags");
            else
            {
                json.WriteStartArray("RepoTags");
                foreach (var tag in image.RepoTags) json.WriteStringValue(tag);
                json.WriteEndArray();
            }
            json.WriteStartArray("Layers");
            foreach (var id in ids) json.WriteStringValue(id + "/layer.tar");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
        });
        if (image.RepoTags.Count > 0) entries["repositories"] = WriteRepositories(image.RepoTags, ids[^1]);

        var tar = new DeterministicTarWriter(output, TarDialect.Ustar);
        foreach (var (name, content) in entries)
        {
            if (content is null) tar.AddDirectory(name, DirectoryMode);
            else tar.AddFile(name, content, ArchiveFileMode);
        }
        tar.Finish();
    }

    /// <summary>Writes one layer tar (see the class summary for its shape).</summary>
    /// <exception cref="ArgumentException">A path that is empty, absolute, has empty, '.' or '..' segments, appears twice, or is too long.</exception>
    public static byte[] WriteLayer(LayerSpec layer)
    {
        // An empty layer is an empty tar (only the end-of-archive blocks and padding), as upstream's; otherwise "./" comes first.
        var entries = new SortedDictionary<string, LayerFile?>(StringComparer.Ordinal);
        if (layer.Files.Count > 0) entries["./"] = null;
        foreach (var file in layer.Files)
        {
            var segments = file.Path.Split('/');
            if (file.Path.Length == 0 || segments.Any(s => s is "" or "." or ".."))
                throw new ArgumentException($"Layer file path '{file.Path}' is invalid: expected a relative path like data/foo/1.0 without empty, '.' or '..' segments.");
            for (var i = 1; i < segments.Length; i++)
            {
                var directory = "./" + string.Join('/', segments[..i]) + "/";
                if (entries.TryGetValue(directory, out var existing) && existing is not null)
                    throw new ArgumentException($"Layer file path '{file.Path}' needs '{directory}' to be a directory, but it is a file.");
                entries[directory] = null;
            }
            var name = "./" + file.Path;
            if (entries.ContainsKey(name) || entries.ContainsKey(name + "/"))
                throw new ArgumentException($"Layer file path '{file.Path}' appears twice or is also a directory.");
            entries[name] = file;
        }
        using var buffer = new MemoryStream();
        var tar = new DeterministicTarWriter(buffer, TarDialect.Gnu);
        foreach (var (name, file) in entries)
        {
            if (file is null) tar.AddDirectory(name, DirectoryMode);
            else tar.AddFile(name, file.Content, file.Mode);
        }
        tar.Finish();
        return buffer.ToArray();
    }

    /// <summary>Writes the image config JSON (see the class summary for its fields and order).</summary>
    /// <param name="image">The image (architecture, os, author, created_by).</param>
    /// <param name="diffIds">The sha256 of each layer tar, base first.</param>
    public static byte[] WriteConfig(DockerSaveImage image, IReadOnlyList<Digest> diffIds) =>
        CanonicalJson.Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("architecture", image.Architecture);
            if (image.Author is not null) json.WriteString("author", image.Author);
            json.WriteString("created", Epoch);
            json.WriteStartArray("history");
            foreach (var _ in diffIds)
            {
                json.WriteStartObject();
                if (image.Author is not null) json.WriteString("author", image.Author);
                json.WriteString("created", Epoch);
                if (image.CreatedBy is not null) json.WriteString("created_by", image.CreatedBy);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("os", image.Os);
            if (image.Variant is not null) json.WriteString("variant", image.Variant);
            json.WriteStartObject("rootfs");
            json.WriteString("type", "layers");
            json.WriteStartArray("diff_ids");
            foreach (var id in diffIds) json.WriteStringValue(id.Value);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("config");
            if (image.Entrypoint is { } entrypoint)
            {
                json.WriteStartArray("Entrypoint");
                foreach (var word in entrypoint) json.WriteStringValue(word);
                json.WriteEndArray();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        });

    private static byte[] WriteRepositories(IReadOnlyList<string> repoTags, string topLayerId)
    {
        var byRepository = new List<(string Repository, List<string> Tags)>();
        foreach (var repoTag in repoTags)
        {
            var colon = repoTag.LastIndexOf(':');
            if (colon <= repoTag.LastIndexOf('/') || colon == repoTag.Length - 1)
                throw new ArgumentException($"RepoTag '{repoTag}' is invalid: expected <repository>:<tag>.");
            var repository = repoTag[..colon];
            var group = byRepository.FirstOrDefault(g => g.Repository == repository);
            if (group.Tags is null) byRepository.Add(group = (repository, []));
            group.Tags.Add(repoTag[(colon + 1)..]);
        }
        return EncoderOutput(json =>
        {
            json.WriteStartObject();
            foreach (var (repository, tags) in byRepository)
            {
                json.WriteStartObject(repository);
                foreach (var tag in tags) json.WriteString(tag, topLayerId);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        });
    }

    /// <summary>Compact JSON followed by a newline, as Go's json.Encoder writes a document.</summary>
    private static byte[] EncoderOutput(Action<Utf8JsonWriter> write) => [.. CanonicalJson.Write(write), (byte)'\n'];
}
