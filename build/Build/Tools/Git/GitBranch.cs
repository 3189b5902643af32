namespace Build.Tools.Git;

// The results of the aliases in GitAliases.cs, shaped (names and members) as Cake.Git's types of the same names.

/// <summary>The checked-out branch (<see cref="GitAliases.GitBranchCurrent"/>).</summary>
/// <param name="CanonicalName">The full name, e.g. <c>refs/heads/main</c>; <c>(no branch)</c> on a detached head.</param>
/// <param name="FriendlyName">The short name, e.g. <c>main</c>.</param>
/// <param name="Tip">The commit the branch points to; null in a repository without commits.</param>
/// <param name="IsRemote">True for a remote-tracking branch.</param>
/// <param name="RemoteName">The remote the branch tracks, or null.</param>
/// <param name="Remotes">Every remote of the repository.</param>
public sealed record GitBranch(string CanonicalName, string FriendlyName, GitCommit? Tip, bool IsRemote, string? RemoteName, IReadOnlyList<GitRemote> Remotes);
