namespace Promoter.Backfill;

/// <summary>What Backfill does about a finding.</summary>
public enum BackfillAction
{
    /// <summary>Copy the item from the healthy replica <see cref="ReplicaFinding.From"/>.</summary>
    Copy,
    /// <summary>Refuse: a tag on another digest is never moved (reported; the pipeline's check phase refuses its edge).</summary>
    Refuse,
    /// <summary>No replica holds the item with the right digest: nothing to copy from (Backfill never reads the source registry).</summary>
    NoHealthyReplica,
}
