namespace Promoter.Backfill;

/// <summary>How a replica differs from what it should hold.</summary>
public enum ReplicaGap
{
    /// <summary>It holds nothing there.</summary>
    Missing,
    /// <summary>It holds something else there (a tag on another digest, a blob of another size, an answer that is a 5xx).</summary>
    Differs,
}
