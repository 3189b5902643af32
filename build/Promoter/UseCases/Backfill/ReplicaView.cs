namespace Promoter.Backfill;

/// <summary>Everything observed: the replicas in the order the manifests name them, and what each answered per item.</summary>
/// <param name="Replicas">Registry names, in manifest order (a healthy replica is picked as a source in this order).</param>
/// <param name="Items">The items, in the order they were listed.</param>
public sealed record ReplicaView(IReadOnlyList<string> Replicas, IReadOnlyList<ItemView> Items);
