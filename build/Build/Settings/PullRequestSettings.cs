namespace Build.Settings;

/// <summary>PromotionPR (kpromo's <c>pr</c>).</summary>
/// <param name="Project">The staging project.</param>
/// <param name="StagingRepository">The staging repository, <c>host[:port]/prefix</c>.</param>
/// <param name="Images">The images to promote; empty for every image with the tag.</param>
/// <param name="Tags">The tags to promote.</param>
/// <param name="Digests">kpromo's <c>--digests</c>.</param>
/// <param name="K8sIoClone">The local k8s.io clone (absolute).</param>
/// <param name="Fork">The fork: a git URL or path, or <c>OWNER/REPO</c>.</param>
/// <param name="Branch">The branch, or null for kpromo's name.</param>
/// <param name="Reviewers">The reviewers.</param>
/// <param name="TokenVariable">The environment variable holding the GitHub token.</param>
/// <param name="GitHubApi">The GitHub REST API address.</param>
/// <param name="Author">The commit's author as <c>Name &lt;email&gt;</c>, or null for git config.</param>
/// <param name="Confirm">Commit, push and open the pull request (else a dry run).</param>
public sealed record PullRequestSettings(string Project, string StagingRepository, IReadOnlyList<string> Images, IReadOnlyList<string> Tags,
    IReadOnlyList<string> Digests, string K8sIoClone, string Fork, string? Branch, IReadOnlyList<string> Reviewers, string TokenVariable, Uri GitHubApi,
    string? Author, bool Confirm)
{
    /// <summary><c>--against-snapshot=REGISTRY=FILE</c>: committed snapshots the edited manifests must also pass (registry and
    /// absolute file), as <c>Promote --against-snapshot</c> checks them; empty for none.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AgainstSnapshots { get; init; } = [];
}
