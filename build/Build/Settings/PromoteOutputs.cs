namespace Build.Settings;

/// <summary>What a run writes or prints besides the registries.</summary>
/// <param name="PlanOut">Where the plan goes as JSON (absolute), or null.</param>
/// <param name="Format">The snapshot format.</param>
/// <param name="SnapshotOf">The registry <c>--snapshot</c> prints, or null.</param>
/// <param name="SnapshotTag">Only digests carrying this tag in a snapshot, or null.</param>
/// <param name="MinimalSnapshot">Leave out tagless children of manifest lists in a snapshot.</param>
/// <param name="ManifestSnapshotOf">The destination <c>--manifest-based-snapshot-of</c> prints, or null.</param>
public sealed record PromoteOutputs(string? PlanOut, SnapshotFormat Format, string? SnapshotOf, string? SnapshotTag, bool MinimalSnapshot,
    string? ManifestSnapshotOf)
{
    /// <summary>Where <c>--report</c> writes the HTML report (absolute), or null.</summary>
    public string? Report { get; init; }
}
