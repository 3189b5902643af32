namespace Promoter.PullRequests;

/// <summary>
/// A promotion pull request the rules forbid: a tag it asks for is already in the thin manifest on another digest (a tag
/// move), or the edited manifests fail the checks of <c>Promote --parse-only</c>. Thrown before any commit or push.
/// </summary>
/// <param name="message">What was refused, one line per refused entry.</param>
public sealed class PullRequestRefusedException(string message) : PromoterRefusalException(message);
