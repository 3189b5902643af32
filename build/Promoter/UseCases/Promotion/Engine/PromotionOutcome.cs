namespace Promoter.Promotion.Engine;

/// <summary>The named phases of a <see cref="PromotionPipeline"/>, in the order they run.</summary>
public enum PromotionPhase
{
    /// <summary>Read the manifests and compute the edges.</summary>
    Load,
    /// <summary>Decide every edge with HEAD requests (nothing is written).</summary>
    Plan,
    /// <summary>Refuse tag moves (unless allowed) and, by policy, lost edges; warn about skipped lost edges.</summary>
    Check,
    /// <summary>End a dry run here, successfully.</summary>
    Stop,
    /// <summary>Copy the missing digests, then write the tags.</summary>
    Execute,
}

/// <summary>Why a promotion that did not fail ended.</summary>
public enum PromotionStop
{
    /// <summary>A dry run: stopped at <see cref="PromotionPhase.Stop"/>, nothing written. Stopping is not failing.</summary>
    DryRun,
    /// <summary>Every phase ran; <see cref="PromotionOutcome.Counts"/> says what was written.</summary>
    Completed,
}

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

/// <summary>How a promotion that did not fail ended (a failure is an exception; a refusal is a <see cref="PromotionRefusedException"/>).</summary>
/// <param name="Stop">Why it ended: a dry run, or completed.</param>
/// <param name="Phases">The phases that ran, in order; the last is where it stopped.</param>
/// <param name="Plan">The plan (every edge's decision).</param>
/// <param name="Counts">What was written; <see cref="PromotionCounts.None"/> for a dry run.</param>
public sealed record PromotionOutcome(PromotionStop Stop, IReadOnlyList<PromotionPhase> Phases, PromotionPlan Plan, PromotionCounts Counts)
{
    /// <summary>The phase the run stopped at (<see cref="PromotionPhase.Stop"/> for a dry run, <see cref="PromotionPhase.Execute"/> otherwise).</summary>
    public PromotionPhase StoppedAt => Phases[^1];
}
