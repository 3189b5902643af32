namespace Promoter.PullRequests;

/// <summary>
/// A promotion pull request the rules forbid: a tag it asks for is already in the thin manifest on another digest (a tag
/// move), or the edited manifests fail the checks of <c>Promote --parse-only</c>. Thrown before any commit or push.
/// </summary>
/// <param name="message">What was refused, one line per refused entry.</param>
public sealed class PullRequestRefusedException(string message) : PromoterRefusalException(message);

/// <summary>
/// An <c>images.yaml</c> that cannot be edited as text: an entry the pull request must touch is not in kpromo's layout
/// (<c>- name:</c> items, a <c>dmap:</c> of <c>"digest": [tags]</c> lines). The message names the file and line.
/// </summary>
/// <param name="message">The file, the line and what was expected there.</param>
public sealed class ImagesYamlLayoutException(string message) : PromoterException(message);

/// <summary>A promotion pull request that cannot be prepared: no thin manifest for the staging repository, a tag the staging
/// repository does not have, a digest nothing resolved to.</summary>
/// <param name="message">What is missing and where it was looked for.</param>
public sealed class PullRequestInputException(string message) : PromoterException(message);
