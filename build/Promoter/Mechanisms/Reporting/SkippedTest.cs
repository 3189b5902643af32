namespace Promoter.Reporting;

/// <summary>A test the run skipped.</summary>
/// <param name="Name">The test's full name, e.g. <c>Suite.Tests.Area.SomeTests.A_case</c>.</param>
/// <param name="Reason">Why it was skipped (the skip attribute's reason).</param>
public sealed record SkippedTest(string Name, string Reason);
