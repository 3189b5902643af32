using Cake.Core;

namespace Build.Settings;

/// <summary>
/// One side of a <see cref="SettingConflict"/>: a setting that a source gives (<see cref="Given"/>), or gives a particular
/// value (<see cref="Is{T}"/>). A default never takes part in a conflict: only what the user set can contradict.
/// </summary>
public sealed class SettingCondition
{
    private readonly Func<SettingReader, bool> _holds;

    private SettingCondition(SettingDeclaration setting, string shown, Func<SettingReader, bool> holds)
    {
        Setting = setting;
        Shown = shown;
        _holds = holds;
    }

    /// <summary>The setting the condition is about.</summary>
    public SettingDeclaration Setting { get; }

    /// <summary>The condition as an argument would write it: <c>--manifest</c>, <c>--confirm</c>, <c>--dry-run=true</c>.</summary>
    public string Shown { get; }

    /// <summary>Some source gives <paramref name="setting"/> a value, whatever it is.</summary>
    public static SettingCondition Given(SettingDeclaration setting) => new(setting, "--" + setting.Name, reader => reader.IsGiven(setting));

    /// <summary>Some source gives <paramref name="setting"/> the value <paramref name="value"/>.</summary>
    public static SettingCondition Is<T>(Setting<T> setting, T value)
    {
        var text = value is bool b ? (b ? "true" : "false") : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        var shown = setting.IsFlag && value is true && typeof(T) == typeof(bool) ? "--" + setting.Name : $"--{setting.Name}={text}";
        return new(setting, shown, reader => reader.IsGiven(setting) && EqualityComparer<T>.Default.Equals(reader.Value(setting), value));
    }

    internal bool Holds(SettingReader reader) => _holds(reader);
}

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
