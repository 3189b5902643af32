using Cake.Core;
using Promoter.Promotion.Engine;

namespace Build.Settings;

/// <summary>Promote's sharding: <c>--shard=I/N</c>, or <c>--shards=N</c> with the index from <c>JOB_COMPLETION_INDEX</c>.</summary>
/// <param name="Shard">The shard <c>--shard</c> names, or null.</param>
/// <param name="Shards">The count <c>--shards</c> gives, or null.</param>
public sealed record ShardSettings(PromotionShard? Shard, int? Shards)
{
    /// <summary>The shard this process promotes, or null for the whole promotion.</summary>
    /// <param name="environment">Reads an environment variable (<see cref="PromotionShard.CompletionIndexVariable"/>).</param>
    /// <exception cref="CakeException"><c>--shards</c> with the variable unset, not a number or out of range (both settings
    /// given is a declared conflict, refused when they are read).</exception>
    public PromotionShard? Resolve(Func<string, string?> environment)
    {
        if (Shards is not { } count) return Shard;
        try { return PromotionShard.FromCompletionIndex(count, environment(PromotionShard.CompletionIndexVariable)); }
        catch (FormatException exception) { throw new CakeException($"Setting '{BuildSettings.Shards.Name}': {exception.Message}", exception); }
    }
}
