using Promoter.Oci;
using Promoter.Yaml;

namespace Promoter.Promotion.Checks;

/// <summary>What one repository holds according to the committed snapshot that covers it.</summary>
/// <param name="File">The snapshot.</param>
/// <param name="Image">The repository's image name relative to the snapshot's registry.</param>
/// <param name="Entry">Its entry in the snapshot, or null when the snapshot does not list it (the repository is empty).</param>
public sealed record SnapshotHolding(RegistrySnapshotFile File, string Image, ImageEntry? Entry)
{
    /// <summary>True when the snapshot lists <paramref name="digest"/> for the repository.</summary>
    public bool HasDigest(string digest) => Entry?.Dmap.Any(d => string.Equals(d.Digest, digest, StringComparison.Ordinal)) == true;

    /// <summary>The digest <paramref name="tag"/> points at in the snapshot, with where the snapshot says so; null when the tag is absent.</summary>
    public (Digest Digest, SourceLocation? At)? Tagged(string tag) =>
        Entry?.Dmap.FirstOrDefault(d => d.Tags.Contains(tag, StringComparer.Ordinal)) is { } entry ? (Digest.Parse(entry.Digest), entry.Location) : null;
}
