namespace Build.Tools.GitHub;

/// <summary>The pull request as GitHub numbers it.</summary>
/// <param name="Number">The pull request's number.</param>
/// <param name="Url">Its web page.</param>
public sealed record OpenedPullRequest(int Number, string Url);
