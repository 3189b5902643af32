namespace Build.Settings;

/// <summary>Which of the edges a run takes.</summary>
/// <param name="Sharding">The shard settings (<c>--shard</c>, <c>--shards</c>), resolved against the environment when the run starts.</param>
/// <param name="UseProwManifestDiff">Only the manifest entries changed in the CI job's range.</param>
/// <param name="ManifestDiffSince">Only the manifest entries changed since this revision (or duration), or null.</param>
public sealed record PromoteSelection(ShardSettings Sharding, bool UseProwManifestDiff, string? ManifestDiffSince);
