namespace Promoter.Backfill;

/// <summary>The comparison of the replicas: what each lacks or holds otherwise, and the items no replica holds.</summary>
/// <param name="Findings">Per replica (manifest order), each item it lacks or holds otherwise (item order).</param>
/// <param name="InNoReplica">Items every replica asked lacks: not a difference between replicas (promoting them is Promote's
/// work, from the source registry), listed for the log.</param>
public sealed record ReplicaComparisonResult(IReadOnlyList<ReplicaFinding> Findings, IReadOnlyList<ReplicaItem> InNoReplica);
