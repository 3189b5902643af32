namespace Promoter.PullRequests;

/// <summary>
/// One digest of a staging repository to add to a thin manifest's <c>images.yaml</c>, with the tags it gets there (none:
/// promoted by digest only).
/// </summary>
/// <param name="Image">The image name below the staging repository (and below every destination), e.g. <c>golden-foo/foo</c>.</param>
/// <param name="Digest">The manifest digest, <c>sha256:</c> + 64 hex.</param>
/// <param name="Tags">The tags, in the order they were asked for.</param>
public sealed record StagedImage(string Image, string Digest, IReadOnlyList<string> Tags)
{
    /// <summary><c>image@digest</c>, for messages.</summary>
    public override string ToString() => $"{Image}@{Digest}" + (Tags.Count > 0 ? $" ({string.Join(", ", Tags)})" : "");
}
