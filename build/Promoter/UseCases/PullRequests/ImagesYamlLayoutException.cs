namespace Promoter.PullRequests;

/// <summary>
/// An <c>images.yaml</c> that cannot be edited as text: an entry the pull request must touch is not in kpromo's layout
/// (<c>- name:</c> items, a <c>dmap:</c> of <c>"digest": [tags]</c> lines). The message names the file and line.
/// </summary>
/// <param name="message">The file, the line and what was expected there.</param>
public sealed class ImagesYamlLayoutException(string message) : PromoterException(message);
