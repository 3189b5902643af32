using System.Text;
using LibGit2Sharp;
using Promoter.Releases;

namespace Build.Tools.Git;

/// <summary>
/// The git operations of the release gates (<see cref="IGitRepository"/>) over libgit2 (LibGit2Sharp). Each call
/// opens the repository, reads what it needs and closes it again, as Cake.Git's aliases do. A libgit2 failure
/// becomes an <see cref="GitException"/> whose message names the operation, the repository and
/// libgit2's error.
/// </summary>
/// <param name="path">The repository's working tree, its git directory, or any folder inside them.</param>
/// <param name="remoteName">
/// The remote whose tags <see cref="TagExists"/> also reads (<c>origin</c> by default); it is read only when the
/// clone has a remote of that name. Null reads local tags alone.
/// </param>
public sealed class GitRepository(string path, string? remoteName = GitRepository.DefaultRemote) : IGitRepository
{
    /// <summary>The remote the release tag is checked on and pushed to unless <c>--git-remote</c> names another.</summary>
    public const string DefaultRemote = "origin";

    /// <summary>The folder this repository is opened from.</summary>
    public string RepositoryPath { get; } = path ?? throw new ArgumentNullException(nameof(path));

    /// <summary>The remote <see cref="TagExists"/> reads, or null for local tags alone.</summary>
    public string? RemoteName { get; } = remoteName;

    /// <summary>Opens the repository that holds <paramref name="path"/> (the folder itself or one above it, as git finds it).</summary>
    /// <exception cref="RepositoryNotFoundException">No repository holds the folder.</exception>
    internal static Repository Open(string path) =>
        new(Repository.Discover(path) ?? throw new RepositoryNotFoundException($"No git repository at or above '{path}'."));

    /// <summary>
    /// The commit <paramref name="rev"/> names (any revision git understands; tags are peeled), or null when it names
    /// none in this clone: unknown, malformed, ambiguous, or beyond the history of a shallow clone.
    /// </summary>
    internal static Commit? FindCommit(Repository repository, string rev)
    {
        try
        {
            return repository.Lookup<Commit>(rev + "^{commit}");
        }
        catch (Exception exception) when (exception is InvalidSpecificationException or AmbiguousSpecificationException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public string RevParse(string rev)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rev);
        return Use($"rev-parse {rev}", repository => RequireCommit(repository, rev).Sha);
    }

    /// <inheritdoc />
    public bool CommitExists(string sha)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sha);
        return Use($"look up commit {sha}", repository => FindCommit(repository, sha) is not null);
    }

    /// <inheritdoc />
    public bool IsShallow() => Use("read whether the clone is shallow", IsShallow);

    /// <inheritdoc />
    public IReadOnlyList<string> ChangedFiles(string? fromSha, string toSha)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toSha);
        return Use($"diff {fromSha ?? "(empty tree)"} {toSha}", repository =>
            Diff(repository, fromSha is null ? null : RequireCommit(repository, fromSha), RequireCommit(repository, toSha))
                .Select(change => change.Path.Replace(Path.DirectorySeparatorChar, '/'))
                .ToList());
    }

    /// <summary>
    /// The content of <paramref name="path"/> at <paramref name="rev"/> as UTF-8 text, exactly as committed, or null
    /// when no file of that path exists there.
    /// </summary>
    /// <exception cref="GitException"><paramref name="rev"/> does not name a commit.</exception>
    public string? ShowFile(string rev, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rev);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Use($"show {rev}:{path}", repository =>
            RequireCommit(repository, rev)[path]?.Target is Blob blob ? blob.GetContentText(Encoding.UTF8) : null);
    }

    /// <summary>
    /// True when the tag exists in this clone or on <see cref="RemoteName"/>, so that a clone fetched without tags
    /// (common in CI) still sees a release tagged upstream. The remote is asked only when the tag is not local and
    /// the clone has a remote of that name.
    /// </summary>
    /// <exception cref="GitException">The remote cannot be read (unreachable, no access); the message names it.</exception>
    public bool TagExists(string tag)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        var name = "refs/tags/" + tag;
        using var repository = OpenOrThrow();
        if (repository.Refs[name] is not null) return true;
        if (RemoteName is null || repository.Network.Remotes[RemoteName] is not { } remote) return false;
        try
        {
            return repository.Network.ListReferences(remote).Any(reference => reference.CanonicalName == name);
        }
        catch (LibGit2SharpException exception)
        {
            throw new GitException(
                $"git: cannot list the tags of remote '{remote.Name}' ({remote.Url}) to see whether tag {tag} exists there: {exception.Message}",
                exception);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ParentsOf(string sha)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sha);
        return Use($"read the parents of {sha}", repository =>
        {
            var commit = RequireCommit(repository, sha);
            var parents = commit.Parents.Select(parent => parent.Sha).ToList();
            return parents.Count > 0 || !IsShallow(repository) ? parents : RecordedParents(repository, commit.Sha);
        });
    }

    /// <inheritdoc />
    public string? MergeBase(string firstSha, string secondSha)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(firstSha);
        ArgumentException.ThrowIfNullOrWhiteSpace(secondSha);
        return Use($"merge-base {firstSha} {secondSha}", repository =>
            repository.ObjectDatabase.FindMergeBase(RequireCommit(repository, firstSha), RequireCommit(repository, secondSha))?.Sha);
    }

    /// <summary>
    /// The changes between the trees of two commits (a null <paramref name="from"/> is the empty tree), renames
    /// listed as a deletion and an addition, as <c>git diff --no-renames</c> does.
    /// </summary>
    internal static TreeChanges Diff(Repository repository, Commit? from, Commit to) =>
        repository.Diff.Compare<TreeChanges>(from?.Tree, to.Tree, new CompareOptions { Similarity = SimilarityOptions.None });

    /// <summary>
    /// The parents a commit object records. libgit2 applies a shallow clone's <c>shallow</c> file as grafts, so a
    /// commit at the boundary shows none; a scratch repository that borrows this one's objects (git's alternates)
    /// and has no <c>shallow</c> file reads the commit as it was written.
    /// </summary>
    private static List<string> RecordedParents(Repository repository, string sha)
    {
        var scratch = Directory.CreateTempSubdirectory("git-parents-");
        try
        {
            Repository.Init(scratch.FullName, isBare: true);
            var info = Directory.CreateDirectory(Path.Combine(scratch.FullName, "objects", "info"));
            File.WriteAllText(Path.Combine(info.FullName, "alternates"), ObjectsFolder(repository) + "\n");
            using var view = new Repository(scratch.FullName);
            return view.Lookup<Commit>(sha).Parents.Select(parent => parent.Sha).ToList();
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>
    /// True when the clone is shallow. libgit2 looks for the <c>shallow</c> file in a linked worktree's own git
    /// directory only; git keeps it in the main one, so that is read too.
    /// </summary>
    private static bool IsShallow(Repository repository) =>
        repository.Info.IsShallow || File.Exists(Path.Combine(CommonDirectory(repository), "shallow"));

    /// <summary>The object folder of a repository (for a linked worktree, the main git directory's).</summary>
    private static string ObjectsFolder(Repository repository) => Path.Combine(CommonDirectory(repository), "objects");

    /// <summary>The git directory the worktrees of a repository share: the main one named by a linked worktree's <c>commondir</c> file, else its own.</summary>
    private static string CommonDirectory(Repository repository)
    {
        var gitDirectory = repository.Info.Path;
        var commonFile = Path.Combine(gitDirectory, "commondir");
        return File.Exists(commonFile) ? Path.GetFullPath(Path.Combine(gitDirectory, File.ReadAllText(commonFile).Trim())) : gitDirectory;
    }

    private static Commit RequireCommit(Repository repository, string rev) =>
        FindCommit(repository, rev) ?? throw new GitException($"git: '{rev}' does not name a commit in {repository.Info.WorkingDirectory ?? repository.Info.Path}.");

    private Repository OpenOrThrow()
    {
        try
        {
            return Open(RepositoryPath);
        }
        catch (LibGit2SharpException exception)
        {
            throw new GitException($"git: cannot open the repository at {RepositoryPath}: {exception.Message}", exception);
        }
    }

    /// <summary>Runs <paramref name="read"/> on the opened repository; a libgit2 error becomes an <see cref="GitException"/>.</summary>
    private T Use<T>(string operation, Func<Repository, T> read)
    {
        using var repository = OpenOrThrow();
        try
        {
            return read(repository);
        }
        catch (LibGit2SharpException exception)
        {
            throw new GitException($"git: {operation} failed in {RepositoryPath}: {exception.Message}", exception);
        }
    }
}
