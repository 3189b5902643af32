namespace Promoter.Reporting;

/// <summary>One test case of a JUnit report.</summary>
/// <param name="ClassName">The group the case belongs to (JUnit's <c>classname</c>), e.g. a test class or a test file.</param>
/// <param name="Name">The case name.</param>
/// <param name="Duration">Wall time of the case.</param>
/// <param name="Failure">The failure message; null when the case passed.</param>
/// <param name="Skipped">The reason the case was skipped; null when it ran.</param>
/// <param name="Output">Text for <c>system-out</c>; optional.</param>
public sealed record JUnitCase(string ClassName, string Name, TimeSpan Duration, string? Failure = null,
    string? Skipped = null, string? Output = null);
