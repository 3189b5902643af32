using Promoter.Yaml;
namespace Promoter.Promotion;

/// <summary>An image of a promoter manifest, of an <c>images.yaml</c> or of a snapshot: a name and its <c>dmap</c>.</summary>
/// <param name="Name">The image name, relative to a registry name; may contain '/'.</param>
/// <param name="Dmap">Digest → tags, in file order (the keys are unique).</param>
public sealed record ImageEntry(string Name, IReadOnlyList<DigestTags> Dmap)
{
    /// <summary>Where the image entry was read from, when it came from a file.</summary>
    public SourceLocation? Location { get; init; }
}
