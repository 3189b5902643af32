using Promoter.Promotion.Checks;

namespace Promoter.PullRequests;

/// <summary>What a promotion pull request asks for.</summary>
/// <param name="Project">The staging project, e.g. <c>cip-test</c>.</param>
/// <param name="Query">The staging repository and the images, tags and digests to look up.</param>
/// <param name="Reviewers">The reviewers, as given.</param>
/// <param name="Branch">The branch name, or null for kpromo's <see cref="PullRequestText.Branch"/>.</param>
public sealed record PullRequestRequest(string Project, StagingQuery Query, IReadOnlyList<string> Reviewers, string? Branch = null)
{
    /// <summary>Committed snapshots of the production registries the edited manifests must pass (<c>--against-snapshot</c>:
    /// no tag move, overlap or lost digest against them); null for none.</summary>
    public SnapshotSet? Snapshots { get; init; }
}
