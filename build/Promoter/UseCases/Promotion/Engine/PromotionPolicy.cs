namespace Promoter.Promotion.Engine;

/// <summary>
/// How a <see cref="PromotionPipeline"/> runs: the only thing (besides where the edges come from) in which Promote,
/// E2E and PromoteRelease differ. See <c>Promotion/README.md</c> for each caller's policy.
/// </summary>
public sealed record PromotionPolicy
{
    /// <summary>True to write; false (the default) stops a dry run after the check phase, which is not a failure.</summary>
    public bool Confirm { get; init; }

    /// <summary>Move a destination tag that points at another digest (refused by default, as upstream).</summary>
    public bool AllowTagMoves { get; init; }

    /// <summary>How many registry operations run at once (upstream's <c>--threads</c>); at least 1.</summary>
    public int Threads { get; init; } = 8;

    /// <summary>How many of the plan's requests (HEADs and tag listings, nothing written) are in flight at once:
    /// <see cref="PlanRequestsPerThread"/> per thread. A HEAD costs the registry a fraction of a copy, and at
    /// <see cref="Threads"/> alone a no-op run leaves a registry idle between answers; on a shared registry the
    /// per-host request rate limit (<c>--max-requests-per-second</c>) bounds them anyway.</summary>
    public int PlanRequests => Math.Max(1, Threads) * PlanRequestsPerThread;

    /// <summary>The plan's requests in flight per thread (<see cref="PlanRequests"/>).</summary>
    public const int PlanRequestsPerThread = 4;

    /// <summary>What to do with edges whose digest the source does not hold.</summary>
    public LostEdgePolicy LostEdges { get; init; } = LostEdgePolicy.WarnAndSkip;

    /// <summary>
    /// Promote every clean edge and refuse only the others (tag moves, overlapping edges, lost sources under
    /// <see cref="LostEdgePolicy.Fail"/>), failing at the end with <see cref="EdgesRefusedException"/>; false (the
    /// default, as upstream) refuses the whole run before anything is written.
    /// </summary>
    public bool IsolateEdges { get; init; }

    /// <summary>
    /// A reviewed plan (<c>--plan=FILE</c>, <see cref="PlanReport.ReadJson"/>) to execute exactly: the check phase compares
    /// a fresh plan of its edges with it and refuses any drift (<see cref="PlanDriftException"/>) before anything is
    /// written; null for an ordinary run.
    /// </summary>
    public PromotionPlan? ExpectedPlan { get; init; }

    /// <summary>The file <see cref="ExpectedPlan"/> was read from, for messages.</summary>
    public string? ExpectedPlanFile { get; init; }
    /// <summary>Carry what refers to each promoted digest (cosign <c>.sig</c>/<c>.att</c>/<c>.sbom</c> tags, OCI referrers) to
    /// its destinations (<c>--copy-attachments</c>, on by default; see <c>Attachments/README.md</c>).</summary>
    public bool CopyAttachments { get; init; } = true;

    /// <summary>Signs each promoted digest in each destination (<c>--sign</c>), and writes its promotion record there; null for no signing.</summary>
    public Promoter.Attachments.IImageSigner? Signer { get; init; }

    /// <summary>Refuses a source digest without a signature valid for this key (<c>--require-signature</c>); null for none.</summary>
    public Promoter.Attachments.SignatureVerifier? RequiredSignature { get; init; }

    /// <summary>Refuses a source digest whose SLSA provenance is missing or does not satisfy this (<c>--require-provenance</c>); null for none.</summary>
    public ProvenanceRequirement? RequiredProvenance { get; init; }

    /// <summary>
    /// Check everything the plan found already promoted in the destinations, not only the manifests about to gain a tag
    /// (<c>--verify-destination</c>): each manifest GET by digest and hashed, each child likewise, each blob HEAD with its
    /// size; what is not served is written again from the source and reported. Costs about one request per blob and
    /// manifest of every destination digest, so it is off by default (a no-op then costs one HEAD per destination tag);
    /// for a run after a registry crash or a periodic audit (Promotion/README.md, "What a run checks").
    /// </summary>
    public bool VerifyDestination { get; init; }

    /// <summary>Receives the run's log lines; null for none.</summary>
    public PromotionLog? Log { get; init; }

    /// <summary>Fed with the run's counts as it goes (phase, units done of total, manifests, blobs, bytes, requests) for a
    /// display to poll; null for none.</summary>
    public PromotionProgress? Progress { get; init; }

    /// <summary>
    /// When set, the plan phase logs each edge's line as <see cref="PromotionLogLevel.Detail"/> and, as information, a
    /// summary of at most this many lines grouped by destination and image, refusals first (<see cref="PlanSummary"/>);
    /// null (the default) logs each edge's line as information.
    /// </summary>
    public int? PlanSummaryLines { get; init; }

    /// <summary>Where the summary says the full list of edges is (e.g. a flag that writes it); null says nothing.</summary>
    public string? FullPlanHint { get; init; }

    /// <summary>Receives the plan as soon as the plan phase made it, before the check phase may refuse it (so a refused
    /// plan can still be written out for review); null for none.</summary>
    public Action<PromotionPlan>? OnPlan { get; init; }
}
