namespace Promoter.Promotion.Engine;

/// <summary>
/// <c>--plan=FILE --confirm</c> was refused before anything was written: the registries are no longer as the reviewed plan
/// saw them (a planned copy's tag now on another digest, a tag moved since, a source digest gone, an edge the plan left
/// alone that would now be written). The message's first line sums up; then one line per drifted edge, naming it.
/// </summary>
public sealed class PlanDriftException : PromoterRefusalException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="planFile">The plan file given with <c>--plan</c>.</param>
    /// <param name="drifted">One line per drifted edge (destination, what the plan saw, what the registries hold now); at least one.</param>
    public PlanDriftException(string planFile, IReadOnlyList<string> drifted)
        : base($"{drifted.Count} edge(s) of the plan {planFile} drifted since it was written; nothing was promoted " +
               "(write a new plan with --plan-out and review it):\n  " + string.Join("\n  ", drifted)) => Drifted = drifted;

    /// <summary>One line per drifted edge.</summary>
    public IReadOnlyList<string> Drifted { get; }
}
