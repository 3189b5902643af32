using Octokit;

namespace Build.Tools.GitHub;

/// <summary>
/// Opens a pull request and requests its reviewers through GitHub's REST API with Octokit. The API address is a setting
/// (GitHub Enterprise, or a local recorder in the tests; for a host other than <c>api.github.com</c> Octokit puts its
/// requests under <c>/api/v3/</c>). The token is a credential of the client only: never logged, never in a message.
/// </summary>
public static class GitHubPullRequests
{
    /// <summary>
    /// <c>POST /repos/{owner}/{repo}/pulls</c> from <paramref name="head"/> (<c>fork-owner:branch</c>) into
    /// <paramref name="baseBranch"/>, then, when there are reviewers, <c>POST .../pulls/{number}/requested_reviewers</c>:
    /// <c>@org/team</c> (or <c>org/team</c>) as a team by its slug, anything else as a user (the <c>@</c> dropped).
    /// </summary>
    /// <exception cref="ApiException">GitHub refused or failed a request (the caller turns it into a message).</exception>
    public static async Task<OpenedPullRequest> OpenAsync(Uri api, string token, string upstreamOwner, string upstreamRepository, string head,
        string baseBranch, string title, string body, IReadOnlyList<string> reviewers)
    {
        var client = new GitHubClient(new ProductHeaderValue("cip-promotion-pr"), api) { Credentials = new Credentials(token) };
        var pull = await client.PullRequest.Create(upstreamOwner, upstreamRepository, new NewPullRequest(title, head, baseBranch)
        {
            Body = body,
            MaintainerCanModify = true,
        });
        var (users, teams) = Reviewers(reviewers);
        if (users.Count + teams.Count > 0)
            await client.PullRequest.ReviewRequest.Create(upstreamOwner, upstreamRepository, pull.Number, new PullRequestReviewRequest(users, teams));
        return new OpenedPullRequest(pull.Number, pull.HtmlUrl);
    }

    /// <summary>Splits reviewers into users and team slugs (<c>@org/team</c> is the team <c>team</c>).</summary>
    public static (IReadOnlyList<string> Users, IReadOnlyList<string> Teams) Reviewers(IReadOnlyList<string> reviewers)
    {
        var users = new List<string>();
        var teams = new List<string>();
        foreach (var reviewer in reviewers.Select(r => r.TrimStart('@')).Where(r => r.Length > 0))
        {
            var slash = reviewer.IndexOf('/');
            if (slash >= 0) teams.Add(reviewer[(slash + 1)..]);
            else users.Add(reviewer);
        }
        return (users, teams);
    }
}
