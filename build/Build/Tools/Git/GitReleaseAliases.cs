using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;
using Promoter.Releases;

namespace Build.Tools.Git;

/// <summary>
/// The git aliases of the release gates that Cake.Git has no alias for, over <see cref="GitRepository"/>
/// (LibGit2Sharp). Each takes the repository as Cake.Git's aliases do (the repository or a folder inside it;
/// relative paths start at the working directory); a git failure is a <see cref="GitException"/>.
/// </summary>
[CakeAliasCategory("Git")]
public static class GitReleaseAliases
{
    /// <summary>The full commit id <paramref name="rev"/> names (<c>git rev-parse --verify rev^{commit}</c>).</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="rev">Any revision: a commit id, a tag, <c>HEAD~1</c>, ...</param>
    /// <exception cref="GitException">The revision does not name a commit.</exception>
    [CakeMethodAlias]
    public static string GitRevParse(this ICakeContext context, DirectoryPath repositoryDirectoryPath, string rev) =>
        Repository(context, repositoryDirectoryPath).RevParse(rev);

    /// <summary>True when the commit <paramref name="sha"/> is in this clone.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="sha">A commit id.</param>
    [CakeMethodAlias]
    public static bool GitCommitExists(this ICakeContext context, DirectoryPath repositoryDirectoryPath, string sha) =>
        Repository(context, repositoryDirectoryPath).CommitExists(sha);

    /// <summary>True when the clone is shallow (its history stops at the commits of its <c>shallow</c> file).</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    [CakeMethodAlias]
    public static bool GitIsShallow(this ICakeContext context, DirectoryPath repositoryDirectoryPath) =>
        Repository(context, repositoryDirectoryPath).IsShallow();

    /// <summary>The parents of a commit, first parent first, as its commit object records them (also at a shallow boundary).</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="sha">A commit id or revision.</param>
    /// <exception cref="GitException">The commit is not in this clone.</exception>
    [CakeMethodAlias]
    public static IReadOnlyList<string> GitParents(this ICakeContext context, DirectoryPath repositoryDirectoryPath, string sha) =>
        Repository(context, repositoryDirectoryPath).ParentsOf(sha);

    /// <summary>The best common ancestor of two commits (<c>git merge-base</c>), or null when none is in this clone.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="firstSha">A commit id or revision.</param>
    /// <param name="secondSha">Another.</param>
    /// <exception cref="GitException">A commit is not in this clone.</exception>
    [CakeMethodAlias]
    public static string? GitMergeBase(this ICakeContext context, DirectoryPath repositoryDirectoryPath, string firstSha, string secondSha) =>
        Repository(context, repositoryDirectoryPath).MergeBase(firstSha, secondSha);

    /// <summary>The content of a file at a commit as UTF-8 text (<c>git show rev:path</c>), or null when the file does not exist there.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="rev">A commit id or revision.</param>
    /// <param name="path">The file's path from the repository root, '/'-separated.</param>
    /// <exception cref="GitException"><paramref name="rev"/> does not name a commit.</exception>
    [CakeMethodAlias]
    public static string? GitShowFile(this ICakeContext context, DirectoryPath repositoryDirectoryPath, string rev, string path) =>
        Repository(context, repositoryDirectoryPath).ShowFile(rev, path);

    /// <summary>True when the tag exists in this clone or on the remote <paramref name="remoteName"/> (<see cref="GitRepository.TagExists"/>).</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="tag">The tag's name, e.g. <c>v1.2.0</c>.</param>
    /// <param name="remoteName">The remote also asked, when the clone has it; null asks none.</param>
    /// <exception cref="GitException">The remote cannot be read; the message names it.</exception>
    [CakeMethodAlias]
    public static bool GitTagExists(this ICakeContext context, DirectoryPath repositoryDirectoryPath, string tag, string? remoteName = GitRepository.DefaultRemote) =>
        Repository(context, repositoryDirectoryPath, remoteName).TagExists(tag);

    /// <summary>
    /// The commit range of this build, read from the process environment (Prow, GitHub Actions, or local
    /// <c>HEAD~1..HEAD</c>; see <see cref="RangeRequest.FromEnvironment"/>) or from <paramref name="since"/>.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="since">Diff <c>since..HEAD</c> instead of the job's range; null for the job's range.</param>
    /// <exception cref="FormatException">The CI environment is malformed.</exception>
    /// <exception cref="MissingCommitException">The clone lacks a commit of the range (a shallow clone).</exception>
    [CakeMethodAlias]
    public static CommitRange GitCommitRange(this ICakeContext context, DirectoryPath repositoryDirectoryPath, string? since = null) =>
        CommitRange.FromEnvironment(Environment(context), Repository(context, repositoryDirectoryPath), since);

    /// <summary>Resolves this build's commit range (<see cref="GitCommitRange"/>) and decides each release gate for it (<see cref="ReleaseGates.Decide"/>).</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repositoryDirectoryPath">The repository, or a folder inside it.</param>
    /// <param name="options">Release options; null for the defaults.</param>
    /// <param name="since">Diff <c>since..HEAD</c> instead of the job's range; null for the job's range.</param>
    /// <param name="remoteName">The remote whose tags count as released too (<see cref="GitRepository.TagExists"/>); null for local tags alone.</param>
    /// <exception cref="FormatException">The CI environment is malformed.</exception>
    /// <exception cref="MissingCommitException">The clone lacks a commit of the range (a shallow clone).</exception>
    /// <exception cref="GitException">git fails, or the remote cannot be read.</exception>
    [CakeMethodAlias]
    public static ReleaseDecision GitReleaseDecision(this ICakeContext context, DirectoryPath repositoryDirectoryPath,
        ReleaseOptions? options = null, string? since = null, string? remoteName = GitRepository.DefaultRemote)
    {
        var git = Repository(context, repositoryDirectoryPath, remoteName);
        return ReleaseGates.Decide(git, CommitRange.FromEnvironment(Environment(context), git, since), options);
    }

    private static GitRepository Repository(ICakeContext context, DirectoryPath repositoryDirectoryPath, string? remoteName = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(repositoryDirectoryPath);
        return new GitRepository(repositoryDirectoryPath.MakeAbsolute(context.Environment).FullPath, remoteName);
    }

    private static Dictionary<string, string> Environment(ICakeContext context) =>
        new(context.Environment.GetEnvironmentVariables(), StringComparer.Ordinal);
}
