namespace Build.Flows;

/// <summary>One tool a task needs on <c>PATH</c>, and the Debian package that installs it.</summary>
/// <param name="Tool">The executable, e.g. <c>htpasswd</c>.</param>
/// <param name="Package">The Debian package, e.g. <c>apache2-utils</c>.</param>
/// <param name="Purpose">Why it is needed (messages).</param>
/// <param name="NeededBy">The tasks that need it.</param>
/// <param name="Alternatives">Other executable names that do as well (Distribution is <c>registry</c> elsewhere).</param>
public sealed record ToolRequirement(string Tool, string Package, string Purpose, ToolUse NeededBy, params string[] Alternatives);
