namespace Build.Settings;

/// <summary>What a Promote command does; one mode per run, chosen from its settings (<see cref="PromoteCommand.ModeOf"/>).</summary>
public enum PromoteMode
{
    /// <summary>Promote the manifests' edges (a dry run unless confirmed).</summary>
    Promote,
    /// <summary>Execute a reviewed plan exactly (<c>--plan=FILE</c>), after a check for drift.</summary>
    ExecutePlan,
    /// <summary>Print a registry's snapshot (<c>--snapshot=REGISTRY</c>).</summary>
    Snapshot,
    /// <summary>Print what a destination holds after promoting the manifests into it empty (<c>--manifest-based-snapshot-of</c>).</summary>
    ManifestSnapshot,
    /// <summary>Read and check the manifests (or the plan) with no network (<c>--parse-only</c>).</summary>
    ParseOnly,
    /// <summary>List destination digests whose signatures are missing or differ (the SignatureCheck task).</summary>
    SignatureCheck,
    /// <summary>Compare the destinations of each edge as replicas of each other; copy what one lacks from another (the Backfill task).</summary>
    Backfill,
    /// <summary>Check the manifests against committed registry snapshots with no network (<c>--against-snapshot</c>).</summary>
    AgainstSnapshot,
}
