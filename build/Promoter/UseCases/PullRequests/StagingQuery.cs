namespace Promoter.PullRequests;

/// <summary>What to look up in the staging repository.</summary>
/// <param name="StagingRepository">The staging repository, <c>host[:port][/prefix]</c>, e.g. <c>gcr.io/k8s-staging-foo</c>.</param>
/// <param name="Images">The images below it (kpromo's <c>--image</c>); empty for every image of the repository that has a tag.</param>
/// <param name="Tags">The tags (kpromo's <c>--tag</c>).</param>
/// <param name="Digests">kpromo's <c>--digests</c>: with tags, only the images whose tag is on one of these digests; without
/// tags, these digests of the given images, with the staging tags that point at them.</param>
public sealed record StagingQuery(string StagingRepository, IReadOnlyList<string> Images, IReadOnlyList<string> Tags, IReadOnlyList<string> Digests);
