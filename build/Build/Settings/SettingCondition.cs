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
