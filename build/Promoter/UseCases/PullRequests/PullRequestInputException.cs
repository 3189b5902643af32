namespace Promoter.PullRequests;

/// <summary>A promotion pull request that cannot be prepared: no thin manifest for the staging repository, a tag the staging
/// repository does not have, a digest nothing resolved to.</summary>
/// <param name="message">What is missing and where it was looked for.</param>
public sealed class PullRequestInputException(string message) : PromoterException(message);
