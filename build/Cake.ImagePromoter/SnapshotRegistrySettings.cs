namespace Cake.ImagePromoter;

/// <summary>Filters of <see cref="ImagePromoterAliases.SnapshotRegistry"/> (kpromo's <c>--snapshot-tag</c> and <c>--minimal-snapshot</c>).</summary>
public sealed class SnapshotRegistrySettings : ImagePromoterSettings
{
    /// <summary>Only the digests carrying this tag; null for all.</summary>
    public string? Tag { get; set; }

    /// <summary>Leave out tagless digests that a manifest list of the registry refers to.</summary>
    public bool Minimal { get; set; }
}
