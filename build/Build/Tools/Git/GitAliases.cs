using GitException = Promoter.Releases.GitException;
using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;
using LibGit2Sharp;

namespace Build.Tools.Git;

/// <summary>
/// Git aliases named and shaped as Cake.Git's (<c>context.GitDiff(repositoryDirectoryPath, fromSha, toSha)</c>, ...),
/// over the same library, LibGit2Sharp, so that Cake.Git can replace this file once a build of it for Cake 7 is
/// served. Each alias opens the repository holding <c>repositoryDirectoryPath</c> (relative paths are taken from
/// the working directory), does one thing and closes it. Failures are LibGit2Sharp's exceptions, except where a
/// method says otherwise. The release gates' own operations are in <see cref="GitReleaseAliases"/>.
/// </summary>
[CakeAliasCategory("Git")]
public static class GitAliases
{
    /// <summary>The files that differ between the trees of two commits (renames listed as a deletion and an addition).</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="sinceCommitId">The old side: a commit (any revision), or <see cref="GitCommit.RootCommit"/> for the empty tree.</param>
    /// <param name="toCommitId">The new side: a commit (any revision).</param>
    /// <exception cref="GitException">A revision does not name a commit.</exception>
    [CakeMethodAlias]
    public static ICollection<GitDiffFile> GitDiff(this ICakeContext context, DirectoryPath repositoryDirectoryPath, string sinceCommitId, string toCommitId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sinceCommitId);
        ArgumentException.ThrowIfNullOrWhiteSpace(toCommitId);
        return Use(context, repositoryDirectoryPath, repository =>
        {
            var from = sinceCommitId == GitCommit.RootCommit ? null : Commit(repository, sinceCommitId);
            return GitRepository.Diff(repository, from, Commit(repository, toCommitId))
                .Select(change => new GitDiffFile(Slashes(change.Path), Slashes(change.OldPath), change.Status, change.Exists, change.OldExists))
                .ToList();
        });
    }

    /// <summary>The last <paramref name="count"/> commits reachable from HEAD, newest first.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="count">How many commits at most.</param>
    [CakeMethodAlias]
    public static ICollection<GitCommit> GitLog(this ICakeContext context, DirectoryPath repositoryDirectoryPath, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Use(context, repositoryDirectoryPath, repository => repository.Commits.Take(count).Select(GitCommit.From).ToList());
    }

    /// <summary>
    /// The repository's tags, ordered by name. The repository is closed when this returns: a tag's names,
    /// <c>IsAnnotated</c> and <c>Reference.TargetIdentifier</c> can be read, the objects behind it cannot.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    [CakeMethodAlias]
    public static List<Tag> GitTags(this ICakeContext context, DirectoryPath repositoryDirectoryPath) =>
        Use(context, repositoryDirectoryPath, repository =>
        {
            var tags = repository.Tags.OrderBy(tag => tag.CanonicalName, StringComparer.Ordinal).ToList();
            foreach (var tag in tags) _ = tag.Target; // loaded while the repository is open (IsAnnotated reads it)
            return tags;
        });

    /// <summary>Creates the lightweight tag <paramref name="tagName"/> at HEAD (<c>git tag tagName</c>).</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="tagName">The tag's name, e.g. <c>v1.2.0</c>.</param>
    /// <exception cref="NameConflictException">The tag exists.</exception>
    [CakeMethodAlias]
    public static void GitTag(this ICakeContext context, DirectoryPath repositoryDirectoryPath, string tagName) =>
        context.GitTag(repositoryDirectoryPath, tagName, "HEAD");

    /// <summary>Creates the lightweight tag <paramref name="tagName"/> at <paramref name="objectish"/> (<c>git tag tagName objectish</c>).</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="tagName">The tag's name, e.g. <c>v1.2.0</c>.</param>
    /// <param name="objectish">What the tag points at: a commit id or any revision.</param>
    /// <exception cref="NameConflictException">The tag exists.</exception>
    [CakeMethodAlias]
    public static void GitTag(this ICakeContext context, DirectoryPath repositoryDirectoryPath, string tagName, string objectish)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tagName);
        ArgumentException.ThrowIfNullOrWhiteSpace(objectish);
        Use(context, repositoryDirectoryPath, repository => { repository.ApplyTag(tagName, objectish); });
    }

    /// <summary>Describes HEAD by the nearest reference <paramref name="strategy"/> allows, e.g. <c>v1.2.0-3-g1a2b3c4</c>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="strategy">Which references may be named.</param>
    /// <exception cref="LibGit2SharpException">No such reference is reachable (unlike Cake.Git, which logs and returns an empty string).</exception>
    [CakeMethodAlias]
    public static string GitDescribe(this ICakeContext context, DirectoryPath repositoryDirectoryPath, GitDescribeStrategy strategy) =>
        context.GitDescribe(repositoryDirectoryPath, "HEAD", renderLongFormat: false, strategy, minimumCommitIdAbbreviatedSize: null);

    /// <summary>Describes <paramref name="commitishName"/> by the nearest reference <paramref name="strategy"/> allows.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="commitishName">The commit to describe (any revision).</param>
    /// <param name="renderLongFormat">Always <c>tag-count-gsha</c>, also on a tagged commit (<c>git describe --long</c>).</param>
    /// <param name="strategy">Which references may be named.</param>
    /// <param name="minimumCommitIdAbbreviatedSize">The least number of hex digits of the abbreviated commit id; null for libgit2's default.</param>
    /// <exception cref="GitException"><paramref name="commitishName"/> does not name a commit.</exception>
    /// <exception cref="LibGit2SharpException">No such reference is reachable (unlike Cake.Git, which logs and returns an empty string).</exception>
    [CakeMethodAlias]
    public static string GitDescribe(this ICakeContext context, DirectoryPath repositoryDirectoryPath, string commitishName,
        bool renderLongFormat, GitDescribeStrategy strategy, int? minimumCommitIdAbbreviatedSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commitishName);
        var options = new DescribeOptions
        {
            AlwaysRenderLongFormat = renderLongFormat,
            Strategy = strategy switch
            {
                GitDescribeStrategy.Default => DescribeStrategy.Default,
                GitDescribeStrategy.Tags => DescribeStrategy.Tags,
                GitDescribeStrategy.All => DescribeStrategy.All,
                _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Unknown describe strategy."),
            },
        };
        if (minimumCommitIdAbbreviatedSize is { } size) options.MinimumCommitIdAbbreviatedSize = size;
        return Use(context, repositoryDirectoryPath, repository => repository.Describe(Commit(repository, commitishName), options));
    }

    /// <summary>The checked-out branch (on a detached head, as CI checks out, <c>(no branch)</c> with the head commit).</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    [CakeMethodAlias]
    public static GitBranch GitBranchCurrent(this ICakeContext context, DirectoryPath repositoryDirectoryPath) =>
        Use(context, repositoryDirectoryPath, repository =>
        {
            var head = repository.Head;
            return new GitBranch(head.CanonicalName, head.FriendlyName, head.Tip is { } tip ? GitCommit.From(tip) : null,
                head.IsRemote, head.RemoteName, Remotes(repository));
        });

    /// <summary>The configured remotes, in the order git lists them.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    [CakeMethodAlias]
    public static IReadOnlyList<GitRemote> GitRemotes(this ICakeContext context, DirectoryPath repositoryDirectoryPath) =>
        Use(context, repositoryDirectoryPath, Remotes);

    /// <summary>
    /// Pushes a tag to a remote (<c>git push remote refs/tags/tag</c>), without credentials: git's credential
    /// helpers are not used, so the remote must accept the push as it is (a path, or a URL that carries its access).
    /// Unlike Cake.Git, a push the remote refuses or cannot take is an error.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="remote">The name of the remote, e.g. <c>origin</c>.</param>
    /// <param name="pushRefSpec">The tag to push, by name (<c>v1.2.0</c>) or full name (<c>refs/tags/v1.2.0</c>), as Cake.Git reads it.</param>
    /// <exception cref="GitException">
    /// The remote or the tag does not exist, the remote cannot be reached, or it refused the tag (e.g. it has another
    /// tag of that name); the message names the remote and the tag.
    /// </exception>
    [CakeMethodAlias]
    public static void GitPushRef(this ICakeContext context, DirectoryPath repositoryDirectoryPath, string remote, string pushRefSpec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(remote);
        ArgumentException.ThrowIfNullOrWhiteSpace(pushRefSpec);
        Use(context, repositoryDirectoryPath, repository =>
        {
            var target = repository.Network.Remotes[remote] ?? throw new GitException($"git: no remote '{remote}' is configured.");
            var tag = repository.Tags[pushRefSpec] ?? throw new GitException($"git: no tag '{pushRefSpec}' to push.");
            // A refusal arrives in a callback from native code, which must not throw: collect, then throw here.
            var refused = new List<string>();
            var options = new PushOptions { OnPushStatusError = error => refused.Add(error.Message) };
            var failure = $"git: pushing {tag.CanonicalName} to remote '{remote}' ({target.PushUrl}) failed";
            try
            {
                repository.Network.Push(target, tag.CanonicalName, options);
            }
            catch (LibGit2SharpException exception)
            {
                throw new GitException($"{failure}: {exception.Message}", exception);
            }
            if (refused.Count > 0) throw new GitException($"{failure}: {string.Join("; ", refused)}");
        });
    }

    /// <summary>Opens the repository holding <paramref name="repositoryDirectoryPath"/>, runs <paramref name="action"/> and closes it.</summary>
    private static T Use<T>(ICakeContext context, DirectoryPath repositoryDirectoryPath, Func<Repository, T> action)
    {
        using var repository = GitRepository.Open(FullPath(context, repositoryDirectoryPath));
        return action(repository);
    }

    private static void Use(ICakeContext context, DirectoryPath repositoryDirectoryPath, Action<Repository> action)
    {
        using var repository = GitRepository.Open(FullPath(context, repositoryDirectoryPath));
        action(repository);
    }

    /// <summary>The absolute path of <paramref name="repositoryDirectoryPath"/> (relative paths start at the working directory).</summary>
    private static string FullPath(ICakeContext context, DirectoryPath repositoryDirectoryPath)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(repositoryDirectoryPath);
        return repositoryDirectoryPath.MakeAbsolute(context.Environment).FullPath;
    }

    private static Commit Commit(Repository repository, string rev) =>
        GitRepository.FindCommit(repository, rev) ?? throw new GitException($"git: '{rev}' does not name a commit.");

    private static List<GitRemote> Remotes(Repository repository) =>
        repository.Network.Remotes.Select(remote => new GitRemote(remote.Name, remote.PushUrl, remote.Url)).ToList();

    private static string Slashes(string path) => path.Replace(System.IO.Path.DirectorySeparatorChar, '/');
}
