using Promoter.Promotion.Engine;

namespace Build.Settings;

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
