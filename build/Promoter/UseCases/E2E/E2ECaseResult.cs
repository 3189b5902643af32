namespace Promoter.E2E;

/// <summary>The outcome of one e2e test.</summary>
/// <param name="Name">The test name.</param>
/// <param name="Duration">Wall time of the test.</param>
/// <param name="Failure">Why it failed (a readable snapshot diff, an unexpected error); null when it passed.</param>
/// <param name="Log">What the test did, one line per step.</param>
public sealed record E2ECaseResult(string Name, TimeSpan Duration, string? Failure, IReadOnlyList<string> Log)
{
    /// <summary>True when the test passed.</summary>
    public bool Passed => Failure is null;
}
