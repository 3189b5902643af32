using System.Text.RegularExpressions;
using LibGit2Sharp;
using Promoter.Releases;

namespace Build.Tools.Git;

/// <summary>
/// Reads a folder or file of a commit out of the object store (LibGit2Sharp), for comparing promoter manifests at two
/// revisions without touching the working tree; and turns kpromo's <c>--manifest-diff-since</c> durations into a commit.
/// </summary>
public static partial class GitTreeExport
{
    /// <summary>The working tree of the repository holding <paramref name="path"/>, with a trailing separator.</summary>
    /// <exception cref="RepositoryNotFoundException">No repository holds the path.</exception>
    public static string WorkingDirectory(string path)
    {
        using var repository = GitRepository.Open(Directory.Exists(path) ? path : Path.GetDirectoryName(path)!);
        return repository.Info.WorkingDirectory;
    }

    /// <summary>
    /// Writes what <paramref name="relativePath"/> (a file or a folder, relative to the working tree, <c>/</c>-separated)
    /// holds at commit <paramref name="sha"/> under <paramref name="destination"/> (same relative layout).
    /// </summary>
    /// <returns>False when the commit has nothing at that path (nothing written).</returns>
    /// <exception cref="GitException">The commit is not in the clone.</exception>
    public static bool Export(string repositoryPath, string sha, string relativePath, string destination)
    {
        using var repository = GitRepository.Open(repositoryPath);
        var commit = GitRepository.FindCommit(repository, sha) ?? throw new GitException($"git export {sha}:{relativePath}: no such commit in {repositoryPath}.");
        var entry = relativePath.Length == 0 ? null : commit[relativePath];
        if (relativePath.Length > 0 && entry is null) return false;
        var target = Path.Combine(destination, relativePath);
        if (entry?.Target is Blob blob)
        {
            Write(blob, target);
            return true;
        }
        WriteTree(entry?.Target as Tree ?? commit.Tree, target);
        return true;
    }

    private static void WriteTree(Tree tree, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var entry in tree)
        {
            var path = Path.Combine(folder, entry.Name);
            switch (entry.Target)
            {
                case Tree child: WriteTree(child, path); break;
                case Blob blob when entry.Mode != Mode.SymbolicLink: Write(blob, path); break;
            }
        }
    }

    private static void Write(Blob blob, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var content = blob.GetContentStream();
        using var file = File.Create(path);
        content.CopyTo(file);
    }

    /// <summary>
    /// For kpromo's duration form of <c>--manifest-diff-since</c> (<c>"7 days"</c>, <c>"24 hours"</c>, <c>"1 week"</c>): the
    /// parent of the oldest first-parent commit of HEAD committed within the duration (as kpromo's <c>git log --since</c>);
    /// HEAD itself when no commit is that recent. Null when <paramref name="text"/> is not a duration (then it is a revision).
    /// </summary>
    /// <exception cref="GitException">The oldest such commit is a root commit, so no base exists.</exception>
    public static string? BaseForDuration(string repositoryPath, string text, DateTimeOffset now)
    {
        var match = Duration().Match(text.Trim());
        if (!match.Success) return null;
        var count = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var span = match.Groups[2].Value.ToLowerInvariant() switch
        {
            "second" => TimeSpan.FromSeconds(count),
            "minute" => TimeSpan.FromMinutes(count),
            "hour" => TimeSpan.FromHours(count),
            "day" => TimeSpan.FromDays(count),
            _ => TimeSpan.FromDays(7 * count),
        };
        using var repository = GitRepository.Open(repositoryPath);
        var head = repository.Head.Tip ?? throw new GitException($"git log --since={text}: the repository at {repositoryPath} has no commit.");
        Commit? oldest = null;
        for (var commit = head; commit is not null && commit.Committer.When >= now - span; commit = commit.Parents.FirstOrDefault())
            oldest = commit;
        if (oldest is null) return head.Sha;
        return oldest.Parents.FirstOrDefault()?.Sha
               ?? throw new GitException($"--manifest-diff-since={text}: every commit down to the root commit {oldest.Sha[..12]} is that recent; give a revision instead.");
    }

    [GeneratedRegex(@"^(\d{1,6})\s*(second|minute|hour|day|week)s?(\s+ago)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Duration();
}
