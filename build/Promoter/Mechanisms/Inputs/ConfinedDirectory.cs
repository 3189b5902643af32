namespace Promoter.Inputs;

/// <summary>
/// A directory tree read without leaving it: a symbolic link is followed only when its target, resolved component by
/// component as the kernel would (<c>..</c> after a link goes up from the link's target), lies inside the directory. A
/// link that leaves it, a chain of more than 40 links (as Linux's <c>ELOOP</c>) and a link to a folder that contains it
/// are reported once, naming the link and its target, and not followed; every folder is visited at most once, so a walk
/// ends in time bounded by the number of entries, whatever the links.
/// </summary>
public sealed class ConfinedDirectory
{
    private const int MaxLinkHops = 40;

    /// <summary>Confines reads to <paramref name="root"/> (which may itself be or pass through a symbolic link).</summary>
    /// <param name="root">The directory as the user named it; messages use this spelling.</param>
    public ConfinedDirectory(string root)
    {
        Root = root;
        RealRoot = RealPath(Absolute(root), out _) ?? Path.GetFullPath(root);
    }

    /// <summary>The directory as it was named.</summary>
    public string Root { get; }

    /// <summary>The directory's physical path (every symbolic link resolved).</summary>
    public string RealRoot { get; }

    /// <summary>
    /// The link on the way to <paramref name="path"/> that cannot be followed (it leaves <see cref="Root"/>, or loops),
    /// or null when every component of the path stays inside (a missing path is null too: reading it reports that).
    /// </summary>
    /// <param name="path">A path that starts with <see cref="Root"/>, e.g. <c>Root/images/foo/images.yaml</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is not under <see cref="Root"/>.</exception>
    public LinkProblem? Escape(string path)
    {
        var relative = Path.GetRelativePath(Root, path);
        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
            throw new ArgumentException($"'{path}' is not under '{Root}'.", nameof(path));
        var logical = Root;
        var real = RealRoot;
        foreach (var part in relative.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            logical = Path.Join(logical, part);
            var next = Path.Join(real, part);
            var target = LinkText(next);
            if (target is null)
            {
                real = next;
                continue;
            }
            var (resolved, problem) = Follow(logical, real, target);
            if (problem is not null) return problem;
            real = resolved!;
        }
        return null;
    }

    /// <summary>
    /// Every entry named <paramref name="fileName"/> that is not a folder, under <paramref name="directory"/> at any depth,
    /// as paths under <see cref="Root"/>'s spelling, in ordinal order of their paths. Links whose target stays inside are
    /// followed; the others are added to <paramref name="problems"/> and skipped.
    /// </summary>
    /// <param name="directory">A folder under (or equal to) <see cref="Root"/>.</param>
    /// <param name="fileName">The exact file name to find.</param>
    /// <param name="problems">Receives each link not followed (and each folder that cannot be listed).</param>
    public IReadOnlyList<string> FindFiles(string directory, string fileName, ICollection<LinkProblem> problems)
    {
        var found = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        if (Escape(directory) is { } escape)
        {
            problems.Add(escape);
            return found;
        }
        var start = RealPath(Absolute(directory), out _);
        if (start is null || !Directory.Exists(start)) return found;
        Walk(directory, start, [start]);
        found.Sort(StringComparer.Ordinal);
        return found;

        void Walk(string logical, string real, List<string> path)
        {
            if (!visited.Add(real)) return;
            string[] entries;
            try
            {
                entries = Directory.GetFileSystemEntries(real);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new LinkProblem(logical, "", $"cannot be listed ({e.Message})"));
                return;
            }
            Array.Sort(entries, StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                var name = Path.GetFileName(entry);
                var entryLogical = Path.Join(logical, name);
                var target = LinkText(entry);
                var entryReal = entry;
                if (target is not null)
                {
                    var (resolved, problem) = Follow(entryLogical, real, target);
                    if (problem is not null)
                    {
                        problems.Add(problem);
                        continue;
                    }
                    entryReal = resolved!;
                    if (Directory.Exists(entryReal) && (path.Contains(entryReal) || IsUnder(real, entryReal)))
                    {
                        problems.Add(new LinkProblem(entryLogical, target,
                            $"a symbolic link to '{target}' ({entryReal}), a folder that contains it: a loop; not followed"));
                        continue;
                    }
                }
                if (Directory.Exists(entryReal))
                    Walk(entryLogical, entryReal, [.. path, entryReal]);
                else if (name == fileName)
                    found.Add(entryLogical);
            }
        }
    }

    /// <summary>
    /// Resolves the link <paramref name="logical"/> (found in the real folder <paramref name="realFolder"/>, with target
    /// text <paramref name="target"/>) to a physical path inside <see cref="RealRoot"/>, or says why it cannot be.
    /// </summary>
    private (string? Real, LinkProblem? Problem) Follow(string logical, string realFolder, string target)
    {
        var real = RealPath(Path.IsPathRooted(target) ? target : Path.Join(realFolder, target), out var loop);
        if (real is null)
            return (null, new LinkProblem(logical, target,
                $"a symbolic link to '{target}' that starts a loop of symbolic links ({loop}); not followed"));
        if (!IsUnder(real, RealRoot))
            return (null, new LinkProblem(logical, target, $"a symbolic link to '{target}' ({real}), which leaves {Root}; not followed"));
        return (real, null);
    }

    /// <summary>
    /// The physical form of the absolute <paramref name="path"/>: each component that is a symbolic link is replaced by its
    /// target, and <c>..</c> goes up from where the links led (as <c>realpath(3)</c>; components that do not exist are kept
    /// as written). Null when more than <see cref="MaxLinkHops"/> links were followed; <paramref name="loop"/> then names
    /// the link where it stopped.
    /// </summary>
    internal static string? RealPath(string path, out string? loop)
    {
        loop = null;
        var root = Path.GetPathRoot(path);
        if (string.IsNullOrEmpty(root)) throw new ArgumentException($"'{path}' is not an absolute path.", nameof(path));
        var pending = new Stack<string>(path[root.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var real = root;
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                real = Path.GetDirectoryName(real) ?? real;
                continue;
            }
            var next = Path.Join(real, part);
            var target = LinkText(next);
            if (target is null)
            {
                real = next;
                continue;
            }
            if (++hops > MaxLinkHops)
            {
                loop = next;
                return null;
            }
            foreach (var step in target.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(step);
            if (Path.IsPathRooted(target)) real = Path.GetPathRoot(target)!;
        }
        return real;
    }

    private static readonly char[] Separators = ['/', Path.DirectorySeparatorChar];

    private static string Absolute(string path) => Path.IsPathRooted(path) ? path : Path.Join(Environment.CurrentDirectory, path);

    /// <summary>The target text of <paramref name="path"/> when it is a symbolic link; null otherwise (or when it does not exist).</summary>
    private static string? LinkText(string path)
    {
        try { return new FileInfo(path).LinkTarget; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static bool IsUnder(string path, string folder) =>
        path == folder || path.StartsWith(folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
