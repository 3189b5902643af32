using Promoter.Yaml;
namespace Promoter.Promotion;

/// <summary>One <c>dmap</c> entry: a digest and the tags it carries (empty: promoted by digest only).</summary>
/// <param name="Digest">The digest text as written, e.g. <c>sha256:</c> + 64 hex (validated on every path).</param>
/// <param name="Tags">The tags, strings exactly as written (<c>1.0</c> stays <c>"1.0"</c>), in file order.</param>
public sealed record DigestTags(string Digest, IReadOnlyList<string> Tags)
{
    /// <summary>True when the digest carries no tag.</summary>
    public bool IsTagless => Tags.Count == 0;

    /// <summary>Where the digest key was read from (field path <c>…dmap["sha256:…"]</c>), when it came from a file.</summary>
    public SourceLocation? Location { get; init; }
}
