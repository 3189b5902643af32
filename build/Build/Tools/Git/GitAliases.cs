using Cake.Core;
using Cake.Core.Annotations;
using Promoter.Releases;

namespace Build.Tools.Git;

/// <summary>Cake aliases for the git operations of the release gates (<see cref="GitTool"/>).</summary>
[CakeAliasCategory("Git")]
public static class GitAliases
{
    /// <summary>A git wrapper for the repository in <paramref name="settings"/> (the working directory when null).</summary>
    [CakeMethodAlias]
    public static GitTool Git(this ICakeContext context, GitSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new GitTool(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools, settings);
    }

    /// <summary>The full commit id <paramref name="rev"/> names.</summary>
    /// <exception cref="InvalidOperationException">The revision does not name a commit.</exception>
    [CakeMethodAlias]
    public static string GitRevParse(this ICakeContext context, string rev, GitSettings? settings = null) =>
        context.Git(settings).RevParse(rev);

    /// <summary>The paths changed between two commits (<see cref="GitTool.ChangedFiles"/>).</summary>
    [CakeMethodAlias]
    public static IReadOnlyList<string> GitChangedFiles(this ICakeContext context, string? fromSha, string toSha, GitSettings? settings = null) =>
        context.Git(settings).ChangedFiles(fromSha, toSha);

    /// <summary>The content of <paramref name="path"/> at <paramref name="rev"/>, or null when absent there.</summary>
    [CakeMethodAlias]
    public static string? GitShowFile(this ICakeContext context, string rev, string path, GitSettings? settings = null) =>
        context.Git(settings).ShowFile(rev, path);

    /// <summary>True when the tag exists locally.</summary>
    [CakeMethodAlias]
    public static bool GitTagExists(this ICakeContext context, string tag, GitSettings? settings = null) =>
        context.Git(settings).TagExists(tag);

    /// <summary>True when the clone is shallow.</summary>
    [CakeMethodAlias]
    public static bool GitIsShallow(this ICakeContext context, GitSettings? settings = null) =>
        context.Git(settings).IsShallow();

    /// <summary>
    /// The commit range of this build, read from the process environment (Prow, GitHub Actions, or local
    /// <c>HEAD~1..HEAD</c>; see <see cref="RangeRequest.FromEnvironment"/>) or from <paramref name="since"/>.
    /// </summary>
    /// <exception cref="FormatException">The CI environment is malformed.</exception>
    /// <exception cref="MissingCommitException">The clone lacks a commit of the range (a shallow clone).</exception>
    [CakeMethodAlias]
    public static CommitRange GitCommitRange(this ICakeContext context, string? since = null, GitSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var environment = new Dictionary<string, string>(context.Environment.GetEnvironmentVariables(), StringComparer.Ordinal);
        return CommitRange.FromEnvironment(environment, context.Git(settings), since);
    }

    /// <summary>Resolves this build's commit range and decides each release gate for it (<see cref="ReleaseGates.Decide"/>).</summary>
    /// <exception cref="FormatException">The CI environment is malformed.</exception>
    /// <exception cref="MissingCommitException">The clone lacks a commit of the range (a shallow clone).</exception>
    [CakeMethodAlias]
    public static ReleaseDecision GitReleaseDecision(this ICakeContext context, ReleaseOptions? options = null, string? since = null, GitSettings? settings = null)
    {
        var git = context.Git(settings);
        var environment = new Dictionary<string, string>(context.Environment.GetEnvironmentVariables(), StringComparer.Ordinal);
        return ReleaseGates.Decide(git, CommitRange.FromEnvironment(environment, git, since), options);
    }
}
