namespace Promoter.PullRequests;

/// <summary>A prepared pull request: the edit of one <c>images.yaml</c> and its texts. Nothing is committed yet.</summary>
/// <param name="ImagesFile">The edited file, relative to the k8s.io repository, <c>/</c>-separated
/// (e.g. <c>registry.k8s.io/images/k8s-staging-foo/images.yaml</c>).</param>
/// <param name="Edit">The new text, the decisions and the diff.</param>
/// <param name="Title">The title and commit message.</param>
/// <param name="Body">The body.</param>
/// <param name="Branch">The branch to push.</param>
/// <param name="Edges">The promotion edges of the whole thin-manifest directory after the edit (the count <c>Promote --parse-only</c> prints).</param>
public sealed record PreparedPullRequest(string ImagesFile, ImagesYamlEditResult Edit, string Title, string Body, string Branch, int Edges)
{
    /// <summary>True when the edit adds something (else there is nothing to commit).</summary>
    public bool HasChanges => Edit.Added.Count > 0;
}
