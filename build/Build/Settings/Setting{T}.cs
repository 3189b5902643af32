using Cake.Core;

namespace Build.Settings;

/// <summary>A declared setting whose text parses to a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The typed value tasks and flows read.</typeparam>
public sealed class Setting<T> : SettingDeclaration
{
    private readonly Func<string, T> _parse;

    internal Setting(string name, string type, T defaultValue, string defaultText, string help, string tasks, Func<string, T> parse, bool isFlag = false)
        : base(name, type, defaultText, help, tasks)
    {
        Default = defaultValue;
        _parse = parse;
        IsFlag = isFlag;
    }

    /// <summary>The value when no source gives one.</summary>
    public T Default { get; }

    /// <inheritdoc />
    public override bool IsFlag { get; }

    /// <summary>Parses <paramref name="text"/> (never empty, except a bare flag's empty value).</summary>
    /// <exception cref="CakeException">The text is not a value of this setting; the message names the setting, the source and what was expected.</exception>
    internal T Parse(string text, string source)
    {
        try
        {
            return _parse(text);
        }
        catch (FormatException exception)
        {
            // Parsers quote the text they refuse: show it as every other display of the value does.
            var message = text.Length > 0 ? exception.Message.Replace(text, Shown(text), StringComparison.Ordinal) : exception.Message;
            throw new CakeException($"Setting '{Name}' ({source}): {message}");
        }
    }
}
