namespace Promoter.Promotion.Engine;

/// <summary>Counts of what a promotion wrote.</summary>
/// <param name="ManifestsPut">Manifests (images, indexes and their children) written by digest.</param>
/// <param name="BlobsUploaded">Blobs streamed from the source and uploaded.</param>
/// <param name="BlobsMounted">Blobs mounted from another repository of the same registry.</param>
/// <param name="BlobsPresent">Blobs the destination already had (or another copy of the run brought).</param>
/// <param name="TagsWritten">Tags added or moved.</param>
public sealed record PromotionCounts(int ManifestsPut, int BlobsUploaded, int BlobsMounted, int BlobsPresent, int TagsWritten)
{
    /// <summary>Nothing written.</summary>
    public static PromotionCounts None { get; } = new(0, 0, 0, 0, 0);

    /// <inheritdoc />
    public override string ToString() =>
        $"{ManifestsPut} manifest(s) put, {BlobsUploaded} blob(s) uploaded, {BlobsMounted} mounted, {BlobsPresent} already present, {TagsWritten} tag(s) written";
}
