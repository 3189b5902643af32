namespace Promoter.Tests.Support;

/// <summary>
/// Marks a test class that takes far longer than most (tens of seconds): <see cref="LongRunningFirstOrderer"/> starts
/// it before the others, so it does not start last and leave the run waiting on it alone.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LongRunningAttribute : Attribute;
