using Cake.Core;

namespace Build.Settings;

/// <summary>
/// Two settings that contradict each other when both hold (e.g. <c>--confirm</c> and <c>--dry-run=true</c>). Declared in
/// one table (<see cref="BuildSettings.Conflicts"/>) and checked by <see cref="SettingReader"/> whenever a run reads either
/// setting, so a task refuses them before it acts, and a run that reads neither is not concerned.
/// </summary>
/// <param name="First">One side.</param>
/// <param name="Second">The other side.</param>
/// <param name="Why">Why they cannot go together, e.g. "--confirm promotes, a dry run writes nothing".</param>
public sealed record SettingConflict(SettingCondition First, SettingCondition Second, string Why)
{
    /// <summary>True when <paramref name="setting"/> is one of the two sides.</summary>
    public bool Involves(SettingDeclaration setting) => ReferenceEquals(First.Setting, setting) || ReferenceEquals(Second.Setting, setting);

    /// <summary>The refusal: both sides, where each came from, and why.</summary>
    internal CakeException Refusal(SettingReader reader) => new(
        $"Contradictory settings: {First.Shown} ({reader.Source(First.Setting)}) and {Second.Shown} ({reader.Source(Second.Setting)}): {Why}. Give only one of them.");
}
