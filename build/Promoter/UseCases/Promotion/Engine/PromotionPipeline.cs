using System.Diagnostics;
using Promoter.Registry;
using Promoter.Yaml;

namespace Promoter.Promotion.Engine;

/// <summary>
/// The one promotion pipeline: the named phases <see cref="Phases"/> run in order (load, plan, check, stop, execute),
/// as promo-tools' <c>pipeline.Phase</c>. A dry run ends successfully at the stop phase; a refusal in the check phase
/// (<see cref="PromotionRefusedException"/>) ends the run before anything is written. Callers differ only in the
/// <see cref="PromotionPolicy"/> and in their <see cref="EdgeLoader"/>; see <c>Promotion/README.md</c>.
/// </summary>
public sealed class PromotionPipeline(RegistryPool registries, PromotionPolicy policy)
{
    /// <summary>The phases in the order they run.</summary>
    public static IReadOnlyList<PromotionPhase> Phases { get; } =
        [PromotionPhase.Load, PromotionPhase.Plan, PromotionPhase.Check, PromotionPhase.Stop, PromotionPhase.Execute];

    /// <summary>What the phases of one run hand on to the next.</summary>
    private sealed class RunState(EdgeLoader load)
    {
        public EdgeLoader Load { get; } = load;
        public IReadOnlyList<PromotionEdge> Edges { get; set; } = [];
        public PromotionPlan Plan { get; set; } = new([]);
        /// <summary>Edges refused under --isolate-edges: reported, not written, and the run fails at its end.</summary>
        public IReadOnlyList<PlannedEdge> Refused { get; set; } = [];
        public PromotionCounts Counts { get; set; } = PromotionCounts.None;
        /// <summary>What the check phase decided the run does (<see cref="PromotionRules.Verdict"/>).</summary>
        public RunVerdict Verdict { get; set; }
    }

    /// <summary>A phase's verdict: go on to the next phase or stop the run (not a failure), and one line for the log.</summary>
    private readonly record struct Verdict(bool GoOn, string Summary);

    /// <summary>Runs the phases on the edges <paramref name="load"/> returns.</summary>
    /// <returns>Where the run stopped (a dry run or completed), the plan and what was written.</returns>
    /// <exception cref="InputFormatException">Load: a manifest is invalid.</exception>
    /// <exception cref="Promoter.Registry.RegistryException">Plan or execute: a registry refused or could not be reached
    /// (tags of failed copies are not written).</exception>
    /// <exception cref="PromotionRefusedException">Check: a tag move, or a lost edge under <see cref="LostEdgePolicy.Fail"/>;
    /// nothing was written.</exception>
    public async Task<PromotionOutcome> RunAsync(EdgeLoader load, CancellationToken cancellationToken = default)
    {
        var state = new RunState(load);
        var ran = new List<PromotionPhase>();
        policy.Progress?.CountRequestsWith(() => registries.RequestsSent);
        foreach (var phase in Phases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ran.Add(phase);
            var name = $"phase {ran.Count}/{Phases.Count} {phase.ToString().ToLowerInvariant()}";
            var clock = Stopwatch.StartNew();
            Verdict verdict;
            policy.Progress?.Started(phase);
            try
            {
                verdict = await RunPhaseAsync(phase, state, cancellationToken);
            }
            catch (Exception exception)
            {
                Log(PromotionLogLevel.Detail, $"{name}: failed after {clock.ElapsedMilliseconds} ms ({exception.GetType().Name})");
                throw;
            }
            finally
            {
                policy.Progress?.Ended();
            }
            Log(PromotionLogLevel.Detail, $"{name}: {verdict.Summary} ({clock.ElapsedMilliseconds} ms)");
            if (!verdict.GoOn) return new PromotionOutcome(PromotionStop.DryRun, ran, state.Plan, PromotionCounts.None);
        }
        return new PromotionOutcome(PromotionStop.Completed, ran, state.Plan, state.Counts);
    }

    private Task<Verdict> RunPhaseAsync(PromotionPhase phase, RunState state, CancellationToken cancellationToken) => phase switch
    {
        PromotionPhase.Load => Task.FromResult(LoadPhase(state)),
        PromotionPhase.Plan => PlanPhaseAsync(state, cancellationToken),
        PromotionPhase.Check => Task.FromResult(CheckPhase(state)),
        PromotionPhase.Stop => Task.FromResult(StopPhase(state)),
        PromotionPhase.Execute => ExecutePhaseAsync(state, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "not a phase of the pipeline"),
    };

    private Verdict LoadPhase(RunState state)
    {
        state.Edges = state.Load(warning => Log(PromotionLogLevel.Warning, warning));
        return new Verdict(true, $"{state.Edges.Count} edge(s)");
    }

    private async Task<Verdict> PlanPhaseAsync(RunState state, CancellationToken cancellationToken)
    {
        policy.Progress?.Expect(state.Edges.Count);
        var planner = new PromotionPlanner(registries, policy);
        state.Plan = await planner.PlanAsync(state.Edges, cancellationToken);
        if (AttachmentPlanner.IsNeeded(policy))
            state.Plan = await new AttachmentPlanner(registries, policy).ExtendAsync(state.Plan, cancellationToken);
        state.Plan = RefusalClosure.Close(state.Plan, policy.LostEdges == LostEdgePolicy.Fail, host => registries.Resolve(host).Address);
        state.Plan = await new EgressPlanner(registries, policy).ExtendAsync(state.Plan, planner.SourceManifests, cancellationToken);
        if (policy.PlanSummaryLines is { } most)
        {
            foreach (var line in state.Plan.Describe()) Log(PromotionLogLevel.Detail, line);
            foreach (var line in PlanSummary.Lines(state.Plan, most, policy.FullPlanHint)) Log(PromotionLogLevel.Information, line);
        }
        else
            foreach (var line in state.Plan.Describe()) Log(PromotionLogLevel.Information, line);
        policy.OnPlan?.Invoke(state.Plan);
        return new Verdict(true, $"{state.Plan.Edges.Count} edge(s) decided");
    }

    private Verdict CheckPhase(RunState state)
    {
        var plan = state.Plan;
        if (policy.ExpectedPlan is { } expected)
            PlanDrift.Check(expected, plan, policy, policy.ExpectedPlanFile ?? "(plan)", line => Log(PromotionLogLevel.Information, line));
        var failLost = policy.LostEdges == LostEdgePolicy.Fail;
        var refused = plan.Edges.Where(e => e.IsRefused(failLost)).ToList();
        state.Verdict = PromotionRules.Verdict(refused.Count, policy.IsolateEdges, policy.Confirm);
        if (state.Verdict == RunVerdict.Refuse) throw new PromotionRefusedException(refused);
        if (refused.Count > 0)
        {
            // Named once, in the failure at the end; the plan executed keeps them, so its Fence holds them off.
            Log(PromotionLogLevel.Warning, $"{refused.Count} refused edge(s) isolated: they and what depends on them are not written (listed at the end)");
            state.Refused = refused;
        }
        var lost = plan.Lost.Count;
        if (lost > 0)
            Log(PromotionLogLevel.Warning, $"{lost} edge(s) name digests missing from the source; they are skipped");
        var summary = refused.Count > 0 ? $"{refused.Count} edge(s) isolated and refused" : "nothing refused";
        return new Verdict(true, lost == 0 ? summary : $"{summary}, {lost} lost edge(s) skipped");
    }

    private Verdict StopPhase(RunState state)
    {
        if (state.Verdict is RunVerdict.Execute or RunVerdict.ExecuteThenFail) return new Verdict(true, "confirmed, going on");
        Log(PromotionLogLevel.Information, "Dry run complete: nothing was written (add --confirm to promote).");
        if (state.Verdict == RunVerdict.FailDryRun) throw new EdgesRefusedException(state.Refused, PromotionCounts.None, dryRun: true);
        return new Verdict(false, "dry run, stopped here");
    }

    private async Task<Verdict> ExecutePhaseAsync(RunState state, CancellationToken cancellationToken)
    {
        var executor = new PromotionExecutor(registries, policy.Threads, line => Log(PromotionLogLevel.Detail, line), policy.VerifyDestination)
        {
            Progress = policy.Progress,
        };
        policy.Progress?.Expect(state.Plan);
        var budget = RequestBudget.Start(state.Plan, registries);
        Log(PromotionLogLevel.Information, budget.Before());
        state.Counts = await executor.ExecuteAsync(state.Plan, cancellationToken);
        Log(PromotionLogLevel.Information, $"promoted: {state.Counts}");
        Log(PromotionLogLevel.Information, budget.After());
        foreach (var line in RequestBudget.Report(state.Plan, registries)) Log(PromotionLogLevel.Information, line);
        if (state.Verdict == RunVerdict.ExecuteThenFail) throw new EdgesRefusedException(state.Refused, state.Counts, dryRun: false);
        return new Verdict(true, "done");
    }

    private void Log(PromotionLogLevel level, string line) => policy.Log?.Invoke(level, line);
}
