namespace Build.Settings;

/// <summary>Where a promotion's edges come from.</summary>
/// <param name="Manifest">A promoter manifest (absolute), or null.</param>
/// <param name="ThinManifestDirectory">A thin-manifest directory (absolute), or null.</param>
/// <param name="Plan">A reviewed plan written by <c>--plan-out</c> (absolute), or null.</param>
public sealed record PromoteInputs(string? Manifest, string? ThinManifestDirectory, string? Plan)
{
    /// <summary>The manifest, thin directory or plan, as messages name it.</summary>
    public string Described => Plan ?? Manifest ?? ThinManifestDirectory ?? "";

    /// <summary>The committed snapshots of <c>--against-snapshot</c>: registry and file (absolute), in the order given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AgainstSnapshots { get; init; } = [];
}
