using LibGit2Sharp;

namespace Build.Tools.Git;

// The results of the aliases in GitAliases.cs, shaped (names and members) as Cake.Git's types of the same names.

/// <summary>One path that differs between two commits (<see cref="GitAliases.GitDiff"/>).</summary>
/// <param name="Path">The path on the new side ('/'-separated, relative to the repository root).</param>
/// <param name="OldPath">The path on the old side (the same as <paramref name="Path"/>: renames are not detected).</param>
/// <param name="Status">What happened to the file.</param>
/// <param name="Exists">True when the file exists on the new side.</param>
/// <param name="OldExists">True when the file exists on the old side.</param>
public sealed record GitDiffFile(string Path, string OldPath, ChangeKind Status, bool Exists, bool OldExists);

/// <summary>An author or committer of a commit.</summary>
/// <param name="Email">The e-mail address.</param>
/// <param name="Name">The name.</param>
/// <param name="When">The time, with its offset.</param>
public sealed record GitSignature(string Email, string Name, DateTimeOffset When);

/// <summary>A commit (<see cref="GitAliases.GitLog"/>).</summary>
/// <param name="Sha">The full commit id.</param>
/// <param name="Author">Who wrote the change.</param>
/// <param name="Committer">Who committed it.</param>
/// <param name="Message">The whole message.</param>
/// <param name="MessageShort">The first line of the message.</param>
public sealed record GitCommit(string Sha, GitSignature Author, GitSignature Committer, string Message, string MessageShort)
{
    /// <summary>The id of git's empty tree: as the <c>sinceCommitId</c> of <see cref="GitAliases.GitDiff"/>, every file of the other commit is listed.</summary>
    public const string RootCommit = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

    internal static GitCommit From(Commit commit) => new(
        commit.Sha,
        new GitSignature(commit.Author.Email, commit.Author.Name, commit.Author.When),
        new GitSignature(commit.Committer.Email, commit.Committer.Name, commit.Committer.When),
        commit.Message,
        commit.MessageShort);
}

/// <summary>A configured remote (<see cref="GitAliases.GitRemotes"/>).</summary>
/// <param name="Name">The remote's name, e.g. <c>origin</c>.</param>
/// <param name="PushUrl">Where pushes go.</param>
/// <param name="Url">Where fetches come from.</param>
public sealed record GitRemote(string Name, string PushUrl, string Url);

/// <summary>The checked-out branch (<see cref="GitAliases.GitBranchCurrent"/>).</summary>
/// <param name="CanonicalName">The full name, e.g. <c>refs/heads/main</c>; <c>(no branch)</c> on a detached head.</param>
/// <param name="FriendlyName">The short name, e.g. <c>main</c>.</param>
/// <param name="Tip">The commit the branch points to; null in a repository without commits.</param>
/// <param name="IsRemote">True for a remote-tracking branch.</param>
/// <param name="RemoteName">The remote the branch tracks, or null.</param>
/// <param name="Remotes">Every remote of the repository.</param>
public sealed record GitBranch(string CanonicalName, string FriendlyName, GitCommit? Tip, bool IsRemote, string? RemoteName, IReadOnlyList<GitRemote> Remotes);

/// <summary>Which references <see cref="GitAliases.GitDescribe(Cake.Core.ICakeContext, Cake.Core.IO.DirectoryPath, GitDescribeStrategy)"/> may name.</summary>
public enum GitDescribeStrategy
{
    /// <summary>Annotated tags only (<c>git describe</c>).</summary>
    Default,

    /// <summary>Every tag, lightweight ones too (<c>git describe --tags</c>).</summary>
    Tags,

    /// <summary>Every reference: tags and branches (<c>git describe --all</c>).</summary>
    All,
}
