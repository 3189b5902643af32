namespace Promoter.PullRequests;

/// <summary>What a promotion pull request is about: the project, what was asked for, and what the edit adds.</summary>
/// <param name="Project">The staging project, e.g. <c>cip-test</c> (kpromo's <c>--project</c>).</param>
/// <param name="StagingRepository">The staging repository the digests were read from.</param>
/// <param name="Tags">The tags asked for (kpromo's <c>--tag</c>), in the order given.</param>
/// <param name="Digests">The digests asked for (kpromo's <c>--digests</c>).</param>
/// <param name="Images">The images asked for (kpromo's <c>--image</c>); empty for every image with the tag.</param>
/// <param name="Added">The entries the edit adds.</param>
/// <param name="Reviewers">The reviewers, as given (e.g. <c>@kubernetes/release-engineering</c>).</param>
public sealed record PullRequestSubject(string Project, string StagingRepository, IReadOnlyList<string> Tags, IReadOnlyList<string> Digests,
    IReadOnlyList<string> Images, IReadOnlyList<EntryDecision> Added, IReadOnlyList<string> Reviewers);
