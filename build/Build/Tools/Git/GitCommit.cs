using LibGit2Sharp;

namespace Build.Tools.Git;

// The results of the aliases in GitAliases.cs, shaped (names and members) as Cake.Git's types of the same names.

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
