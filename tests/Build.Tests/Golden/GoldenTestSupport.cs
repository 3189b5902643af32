using System.Formats.Tar;
using System.Security.Cryptography;
using Build.Tests.Host;
using Promoter.Oci;
using Promoter.Registry;
using Promoter.Tests.Support;

namespace Build.Tests.Golden;

/// <summary>Paths of the repository and of upstream's golden set in it, and runs of the real build program.</summary>
internal static partial class BuildProgram
{
    /// <summary>The repository root (the folder holding Promoter.slnx), found upwards from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The committed upstream CIP golden archives, byte for byte upstream's (read only; never modified).</summary>
    public static string UpstreamArchives => Path.Combine(RepositoryRoot, "images", "golden", "upstream", "archives");

    /// <summary>The golden set of the upstream archives; its archiveRoot key names <see cref="UpstreamArchives"/>.</summary>
    public static string UpstreamGoldenSet => Path.Combine(RepositoryRoot, "images", "golden", "upstream", "golden.yaml");

    /// <summary>Runs the real tasks of the build program in the repository root with <paramref name="args"/>.</summary>
    public static HostRunner.Result Run(params string[] args) =>
        HostRunner.Run(typeof(BuildContext).Assembly, RepositoryRoot, ["--verbosity", "normal", .. args]);

    /// <summary>
    /// Starts the compiled build program (the Build.dll beside the tests) as a child process in the repository root with
    /// <paramref name="args"/>, through <see cref="ExternalTool"/>; <paramref name="prefix"/> (e.g. <c>unshare -n</c>)
    /// runs before <c>dotnet</c>.
    /// </summary>
    /// <exception cref="ExternalToolException">The process could not start.</exception>
    public static RunningTool StartProcess(IEnumerable<string> args, ToolOptions? options = null, params string[] prefix)
    {
        string[] command = [.. prefix, "dotnet", Path.Combine(AppContext.BaseDirectory, "Build.dll"), .. args];
        return ExternalTool.Start(command[0], command[1..], (options ?? new ToolOptions()) with { WorkingDirectory = RepositoryRoot });
    }

    /// <summary>Runs the compiled build program as a child process (see <see cref="StartProcess"/>) to its end.</summary>
    /// <exception cref="ExternalToolException">The process could not start or ran out of time.</exception>
    public static ToolResult RunProcess(params string[] args) => StartProcess(args).Wait();

    /// <summary>
    /// Runs the compiled build program as a child process in the repository root with <paramref name="args"/>, with <paramref name="environment"/> over this process's variables (a null value removes
    /// one): a test whose run needs a variable leaves this process's environment untouched, so it runs beside the others.
    /// The output is standard output and error together, colours removed, as <see cref="Run"/> returns it.
    /// </summary>
    /// <exception cref="ExternalToolException">The process could not start or ran out of time (5 min).</exception>
    public static HostRunner.Result RunWith(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var result = StartProcess(args, new ToolOptions { Environment = environment }).Wait();
        return new HostRunner.Result(result.ExitCode, Colour().Replace(result.Combined, ""));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial System.Text.RegularExpressions.Regex Colour();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Promoter.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No Promoter.slnx above {AppContext.BaseDirectory}.");
    }
}

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

/// <summary>Reads a registry back to check what a push left.</summary>
internal static partial class RegistryChecks
{
    /// <summary>One "reference digest" line PushSrc prints, split into its parts.</summary>
    /// <param name="Reference">e.g. <c>127.0.0.1:5000/prefix/golden-foo/foo:1.0</c> or <c>…/foo@sha256:…</c>.</param>
    /// <param name="Repository">The repository, prefix included.</param>
    /// <param name="TagOrDigest">What follows the repository.</param>
    /// <param name="Key">The reference below the prefix, a tagless one cut to <c>repository@</c>.</param>
    /// <param name="Digest">The digest printed for it.</param>
    public sealed record PushedReference(string Reference, string Repository, string TagOrDigest, string Key, string Digest);

    /// <summary>The "reference digest" lines of <paramref name="output"/> under <c>host/prefix/</c>.</summary>
    public static IReadOnlyList<PushedReference> PushedReferences(string output, string host, string prefix) =>
        PushedLine().Matches(output)
            .Select(m => (Reference: m.Groups["ref"].Value, Digest: m.Groups["digest"].Value))
            .Where(p => p.Reference.StartsWith($"{host}/{prefix}/", StringComparison.Ordinal))
            .Select(p =>
            {
                var path = p.Reference[(host.Length + 1)..];
                var at = path.IndexOf('@');
                var colon = path.LastIndexOf(':');
                var (repository, tagOrDigest) = at > 0 ? (path[..at], path[(at + 1)..]) : (path[..colon], path[(colon + 1)..]);
                var below = path[(prefix.Length + 1)..];
                var key = at > 0 ? below[..(below.IndexOf('@') + 1)] : below;
                return new PushedReference(p.Reference, repository, tagOrDigest, key, p.Digest);
            })
            .ToList();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<ref>127\.0\.0\.1:\d+/\S+) (?<digest>sha256:[0-9a-f]{64})\r?$", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex PushedLine();

    /// <summary>
    /// Every manifest the registry holds (tagged or, through the storage root, tagless) whose blobs or child manifests
    /// are not all present: one line each. Empty when the registry is consistent.
    /// </summary>
    public static async Task<IReadOnlyList<string>> IncompleteManifestsAsync(RegistryClient client, string storageRoot)
    {
        var problems = new List<string>();
        foreach (var repository in await RegistryInventory.ReadAsync(client, storageRoot: storageRoot))
        {
            foreach (var manifest in repository.Manifests)
            {
                var content = await client.GetManifestAsync(repository.Repository, manifest.Digest.Value);
                var document = content.Parse($"{repository.Repository}@{manifest.Digest}");
                foreach (var blob in document.Blobs)
                    if (await client.HeadBlobAsync(repository.Repository, blob.ParsedDigest) is null)
                        problems.Add($"{repository.Repository}@{manifest.Digest}: blob {blob.Digest} is missing");
                foreach (var child in document.Manifests)
                    if (await client.HeadManifestAsync(repository.Repository, child.Digest) is null)
                        problems.Add($"{repository.Repository}@{manifest.Digest}: child manifest {child.Digest} is missing");
            }
        }
        return problems;
    }

    /// <summary>Every manifest digest the registry holds under repositories starting with <paramref name="prefix"/>.</summary>
    public static async Task<IReadOnlyList<string>> ManifestsUnderAsync(RegistryClient client, string storageRoot, string prefix) =>
        (await RegistryInventory.ReadAsync(client, storageRoot: storageRoot))
        .Where(r => r.Repository.StartsWith(prefix + "/", StringComparison.Ordinal))
        .SelectMany(r => r.Manifests.Select(m => $"{r.Repository}@{m.Digest}"))
        .ToList();

    /// <summary><c>skopeo inspect --raw --tls-verify=false docker://reference</c>: the raw manifest bytes.</summary>
    public static byte[] SkopeoRaw(string reference) =>
        ExternalTool.Run("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{reference}").EnsureSuccess().OutputBytes;

    /// <summary>The sha256 digest of <paramref name="bytes"/>.</summary>
    public static Digest DigestOf(byte[] bytes) => Digest.Of(bytes);
}
