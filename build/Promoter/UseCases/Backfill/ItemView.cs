namespace Promoter.Backfill;

/// <summary>What the replicas answered for one item.</summary>
/// <param name="Item">The item.</param>
/// <param name="Expected">What a healthy replica holds when the manifests say it (a tag's digest, a manifest's or referrer's
/// own digest, a blob's size from its descriptor); null when only the replicas can say (an attachment tag): then the value
/// most replicas hold, if one value has more holders than every other.</param>
/// <param name="Answers">Per replica asked (its registry name): what it holds - a digest, a blob's size, or a line saying
/// what is broken (a 5xx, another size) - or null when it holds nothing there. A replica not in the map was not asked (the
/// blobs of a manifest it lacks: copying the manifest brings them).</param>
public sealed record ItemView(ReplicaItem Item, string? Expected, IReadOnlyDictionary<string, string?> Answers);
