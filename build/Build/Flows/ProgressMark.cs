using Promoter.Promotion.Engine;

namespace Build.Flows;

/// <summary>Where the last progress line of a phase left off: when (time into the phase), how far, how many requests sent.</summary>
/// <param name="At">Time since the phase started.</param>
/// <param name="Done">Units done then.</param>
/// <param name="Requests">Requests sent then (the run's count).</param>
public readonly record struct ProgressMark(TimeSpan At, long Done, long Requests)
{
    /// <summary>The mark of <paramref name="snapshot"/>.</summary>
    public static ProgressMark Of(PromotionProgressSnapshot snapshot) => new(snapshot.Elapsed, snapshot.Done, snapshot.Requests);
}
