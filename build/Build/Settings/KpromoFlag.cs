namespace Build.Settings;

/// <summary>One flag of <c>kpromo cip</c> (or kpromo's root command) and what this project does with it.</summary>
/// <param name="Name">The flag without dashes, e.g. <c>parse-only</c>.</param>
/// <param name="Status">Implemented or rejected.</param>
/// <param name="Note">For an implemented flag: where it is read; for a rejected one: why, and what to use instead.</param>
public sealed record KpromoFlag(string Name, KpromoFlagStatus Status, string Note);
