using Promoter.Promotion.Engine;

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

/// <summary>How a promotion runs: the policy's switches.</summary>
/// <param name="Confirm">Write (<c>--confirm</c> or <c>--dry-run=false</c>); else a dry run.</param>
/// <param name="AllowTagMoves">Move tags that point at other digests.</param>
/// <param name="Threads">Registry operations at once, 1 to 256.</param>
/// <param name="IsolateEdges">Promote every clean edge and refuse (and fail on) the others.</param>
/// <param name="RequireSource">A lost source digest refuses its edge.</param>
/// <param name="VerifyDestination">Also check what is already promoted.</param>
/// <param name="UseServiceAccount">Impersonate each Google registry's service account.</param>
public sealed record PromoteRun(bool Confirm, bool AllowTagMoves, int Threads, bool IsolateEdges, bool RequireSource, bool VerifyDestination,
    bool UseServiceAccount);

/// <summary>Which of the edges a run takes.</summary>
/// <param name="Sharding">The shard settings (<c>--shard</c>, <c>--shards</c>), resolved against the environment when the run starts.</param>
/// <param name="UseProwManifestDiff">Only the manifest entries changed in the CI job's range.</param>
/// <param name="ManifestDiffSince">Only the manifest entries changed since this revision (or duration), or null.</param>
public sealed record PromoteSelection(ShardSettings Sharding, bool UseProwManifestDiff, string? ManifestDiffSince);

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

/// <summary>
/// The one command model of Promote (and of SignatureCheck and an e2e test's <c>invocation:</c>): its mode and named parts,
/// built from the declared settings by <see cref="BuildSettings.Promote"/> whether they come from the command line or
/// from an e2e file (<see cref="InvocationParser"/>).
/// </summary>
/// <param name="Mode">What the command does.</param>
/// <param name="Inputs">Where the edges come from.</param>
/// <param name="Run">The policy's switches.</param>
/// <param name="Signing">The attachment and signature flags (keys read when applied).</param>
/// <param name="Selection">Which edges.</param>
/// <param name="Outputs">Plan file and snapshot options.</param>
public sealed record PromoteCommand(PromoteMode Mode, PromoteInputs Inputs, PromoteRun Run, SigningArguments Signing, PromoteSelection Selection,
    PromoteOutputs Outputs)
{
    /// <summary>The mode the settings ask for; <see cref="BuildSettings.Conflicts"/> has already refused any two that contradict.</summary>
    /// <param name="parseOnly"><c>--parse-only</c>.</param>
    /// <param name="snapshot"><c>--snapshot</c> was given.</param>
    /// <param name="manifestSnapshot"><c>--manifest-based-snapshot-of</c> was given.</param>
    /// <param name="plan"><c>--plan</c> was given.</param>
    /// <param name="againstSnapshot"><c>--against-snapshot</c> was given.</param>
    public static PromoteMode ModeOf(bool parseOnly, bool snapshot, bool manifestSnapshot, bool plan, bool againstSnapshot = false) =>
        snapshot ? PromoteMode.Snapshot
        : manifestSnapshot ? PromoteMode.ManifestSnapshot
        : parseOnly ? PromoteMode.ParseOnly
        : againstSnapshot ? PromoteMode.AgainstSnapshot
        : plan ? PromoteMode.ExecutePlan
        : PromoteMode.Promote;

    /// <summary>The library's request: the manifests to load and the policy of <see cref="Run"/> (no signing applied; see
    /// <see cref="SigningArguments.Apply"/>).</summary>
    public PromotionRequest Request => new()
    {
        Manifest = Inputs.Manifest,
        ThinManifestDirectory = Inputs.ThinManifestDirectory,
        Policy = new PromotionPolicy
        {
            Confirm = Run.Confirm,
            AllowTagMoves = Run.AllowTagMoves,
            Threads = Run.Threads,
            LostEdges = Run.RequireSource ? LostEdgePolicy.Fail : LostEdgePolicy.WarnAndSkip,
            IsolateEdges = Run.IsolateEdges,
            VerifyDestination = Run.VerifyDestination,
        },
    };
}
