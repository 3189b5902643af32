namespace Build.Kubernetes;

/// <summary>
/// Generated text files by path relative to a folder (forward slashes), written to that folder or compared with it.
/// The folder is owned by the generator: every file in it is expected to be one of these.
/// </summary>
public sealed class RenderedFiles
{
    /// <summary>The files: relative path to content.</summary>
    public IReadOnlyDictionary<string, string> Files { get; }

    /// <summary>Holds <paramref name="files"/>, sorted by path.</summary>
    public RenderedFiles(IEnumerable<KeyValuePair<string, string>> files) => Files = new SortedDictionary<string, string>(files.ToDictionary(), StringComparer.Ordinal);

    /// <summary>Writes every file under <paramref name="folder"/> (created when missing) and deletes any other file there.</summary>
    /// <returns>The relative paths written and deleted.</returns>
    public (IReadOnlyList<string> Written, IReadOnlyList<string> Deleted) Write(string folder)
    {
        var deleted = new List<string>();
        foreach (var extra in Existing(folder).Where(p => !Files.ContainsKey(p)))
        {
            File.Delete(Path.Combine(folder, extra));
            deleted.Add(extra);
        }
        foreach (var (path, content) in Files)
        {
            var full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        return (Files.Keys.ToList(), deleted);
    }

    /// <summary>How <paramref name="folder"/> differs from these files: one line per missing, extra or differing file
    /// (with the first differing line); empty when equal byte for byte.</summary>
    public IReadOnlyList<string> Differences(string folder)
    {
        var differences = new List<string>();
        var existing = Existing(folder).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, content) in Files)
        {
            if (!existing.Contains(path))
            {
                differences.Add($"{path}: missing");
                continue;
            }
            var committed = File.ReadAllText(Path.Combine(folder, path));
            if (committed != content) differences.Add($"{path}: {FirstDifference(committed, content)}");
        }
        differences.AddRange(existing.Where(p => !Files.ContainsKey(p)).Order(StringComparer.Ordinal).Select(p => $"{p}: not generated (extra file)"));
        return differences;
    }

    private static IEnumerable<string> Existing(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            : [];

    private static string FirstDifference(string committed, string generated)
    {
        var have = committed.Split('\n');
        var want = generated.Split('\n');
        for (var i = 0; i < Math.Max(have.Length, want.Length); i++)
        {
            var a = i < have.Length ? have[i] : "<end of file>";
            var b = i < want.Length ? want[i] : "<end of file>";
            if (a != b) return $"differs at line {i + 1}: committed '{a}', generated '{b}'";
        }
        return "differs (line endings)";
    }
}
