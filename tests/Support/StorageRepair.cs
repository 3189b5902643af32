using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Tests.Support;

/// <summary>Repairs what a crash can leave in the filesystem storage of a stopped CNCF Distribution 2.x registry.</summary>
public static class StorageRepair
{
    /// <summary>
    /// Repairs what a crash can leave in a CNCF Distribution 2.x filesystem storage, while the registry is stopped:
    /// <list type="bullet">
    /// <item>a 0-byte blob data file (<c>docker/registry/v2/blobs/sha256/XX/HEX/data</c>, except the digest of no bytes) is
    /// removed: Distribution keeps an existing data file on every upload, mount and manifest put, so a rerun could not
    /// replace it; once removed, the blob reads as missing (404) and the rerun's upload or put writes it;</item>
    /// <item>a repository's blob link (<c>_layers/sha256/HEX/link</c>) or manifest revision link
    /// (<c>_manifests/revisions/sha256/HEX/link</c>) that does not hold <c>sha256:HEX</c> is written with it (its folder
    /// names the digest);</item>
    /// <item>a tag whose <c>_manifests/tags/TAG/current/link</c> is not a digest is removed (nothing says what it named),
    /// so it reads as absent and the rerun writes it again.</item>
    /// </list>
    /// Data files are not hashed (a crash truncates; it does not write other bytes of the same length).
    /// </summary>
    /// <param name="storageRoot">The registry's <c>rootdirectory</c>; the registry must not be running.</param>
    /// <returns>One line per repair: the path (relative to the root) and what was done.</returns>
    /// <exception cref="IOException">A file could not be removed or written.</exception>
    public static IReadOnlyList<string> Run(string storageRoot)
    {
        var repairs = new List<string>();
        var v2 = Path.Combine(storageRoot, "docker", "registry", "v2");
        string Relative(string path) => Path.GetRelativePath(storageRoot, path);
        var blobs = Path.Combine(v2, "blobs", "sha256");
        if (Directory.Exists(blobs))
        {
            foreach (var data in Directory.EnumerateFiles(blobs, "data", SearchOption.AllDirectories))
            {
                var hex = Path.GetFileName(Path.GetDirectoryName(data))!;
                if (new FileInfo(data).Length != 0 || Digest.Sha256Prefix + hex == ServedContent.EmptyDigest.Value) continue;
                File.Delete(data);
                repairs.Add($"{Relative(data)}: 0-byte blob data file removed");
            }
        }
        var repositories = Path.Combine(v2, "repositories");
        if (!Directory.Exists(repositories)) return repairs;
        foreach (var link in Directory.EnumerateFiles(repositories, "link", SearchOption.AllDirectories).ToList())
        {
            if (!File.Exists(link)) continue; // under a tag removed above
            var folder = Path.GetDirectoryName(link)!;
            var parent = Path.GetFileName(Path.GetDirectoryName(folder));
            var content = File.ReadAllText(link).Trim();
            if (Digest.TryParse(content, out _)) continue;
            if (parent == "sha256")
            {
                // _layers/sha256/HEX/link, _manifests/revisions/sha256/HEX/link, _manifests/tags/T/index/sha256/HEX/link
                var expected = Digest.Sha256Prefix + Path.GetFileName(folder);
                File.WriteAllText(link, expected);
                repairs.Add($"{Relative(link)}: link held '{Shorten(content)}', written with {expected}");
            }
            else if (Path.GetFileName(folder) == "current")
            {
                var tag = Path.GetDirectoryName(folder)!;
                Directory.Delete(tag, recursive: true);
                repairs.Add($"{Relative(tag)}: tag's current link held '{Shorten(content)}', tag removed");
            }
        }
        return repairs;

        static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
    }
}
