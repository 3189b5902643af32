using System.Globalization;
using Cake.Core;

namespace Build.Settings;

/// <summary>
/// One build setting as the command line, the environment and <c>cake.config</c> name it: <c>--name=value</c>,
/// <c>CIP_NAME</c> (dashes become underscores) and <c>[Cip] Name</c> (dashes dropped, any case). Declared once, in
/// <see cref="BuildSettings"/>; read only through <see cref="SettingReader"/>.
/// </summary>
public abstract class SettingDeclaration
{
    /// <summary>The environment-variable prefix of build settings (<c>CIP_ENGINE</c>, ...).</summary>
    public const string EnvironmentPrefix = "CIP_";

    /// <summary>The <c>cake.config</c> section of build settings.</summary>
    public const string ConfigSection = "Cip";

    private protected SettingDeclaration(string name, string type, string defaultText, string help, string tasks)
    {
        Name = name;
        Type = type;
        DefaultText = defaultText;
        Help = help;
        Tasks = tasks;
    }

    /// <summary>The argument name without dashes, e.g. <c>engine</c>, <c>golden-archives</c>.</summary>
    public string Name { get; }

    /// <summary>What a value looks like, for help: <c>oci|docker</c>, <c>FILE</c>, <c>true|false</c>, <c>1..256</c>.</summary>
    public string Type { get; }

    /// <summary>The default as help shows it (may be a sentence, e.g. "a local registry").</summary>
    public string DefaultText { get; }

    /// <summary>One line of help.</summary>
    public string Help { get; }

    /// <summary>The tasks that read the setting, comma-separated (help and the README table).</summary>
    public string Tasks { get; }

    /// <summary>The environment variable, e.g. <c>CIP_GOLDEN_ARCHIVES</c>.</summary>
    public string EnvironmentVariable => EnvironmentPrefix + Name.Replace('-', '_').ToUpperInvariant();

    /// <summary>The <c>cake.config</c> key in the <c>[Cip]</c> section, e.g. <c>GoldenArchives</c> (keys match without regard to case).</summary>
    public string ConfigKey => string.Concat(Name.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>True for an on/off setting that a bare <c>--name</c> turns on.</summary>
    public abstract bool IsFlag { get; }

    /// <summary>The setting as a command-line argument with <paramref name="value"/>: <c>--name=value</c> (for job commands,
    /// so a renamed setting renames them).</summary>
    public string Argument(string value) => $"--{Name}={value}";

    /// <summary>The setting as a bare command-line flag, <c>--name</c>.</summary>
    /// <exception cref="InvalidOperationException">The setting is not a flag.</exception>
    public string FlagArgument() => IsFlag ? $"--{Name}" : throw new InvalidOperationException($"--{Name} is not a flag; give it a value.");

    /// <summary>Words that mark a setting's value as a credential, never shown.</summary>
    private static readonly string[] SecretWords = ["password", "passwd", "secret", "token", "credential", "auth", "apikey", "api-key"];

    /// <summary>True when the name says the value is a credential (<c>password</c>, <c>token</c>, <c>secret</c>, ...).</summary>
    public bool IsSecret => IsSecretName(Name);

    /// <summary>True when <paramref name="name"/> (of a setting or an argument) says its value is a credential.</summary>
    public static bool IsSecretName(string name) => SecretWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// <paramref name="text"/> as a log line or an error may show it: <c>***</c> for a secret setting; otherwise with any
    /// user-info (<c>user:password@</c> in a registry name, URL or list) replaced by <c>***@</c>. The one rule every
    /// display of a setting's value goes through.
    /// </summary>
    public string Shown(string text) => IsSecret ? "***" : Promoter.Oci.RegistryHost.Redact(text);
}

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

/// <summary>Parsers of setting text, each throwing a <see cref="FormatException"/> that says what was expected.</summary>
public static class SettingParsers
{
    /// <summary><c>true</c>/<c>1</c>/<c>yes</c> or <c>false</c>/<c>0</c>/<c>no</c>, any case; empty (a bare flag) is true.</summary>
    /// <exception cref="FormatException">Any other text.</exception>
    public static bool Bool(string text) => text.ToLowerInvariant() switch
    {
        "" or "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new FormatException($"expected true or false, got '{text}'."),
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Func<string, int> Int(int min, int max) => text =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n : throw new FormatException($"expected a whole number from {min} to {max}, got '{text}'.");

    /// <summary>
    /// A duration from <paramref name="min"/> to <paramref name="max"/>: Go's form as kpromo's flags take it, one or more
    /// number-unit pairs with units <c>h</c>, <c>m</c>, <c>s</c>, <c>ms</c> (e.g. <c>12m</c>, <c>1m30s</c>, <c>500ms</c>),
    /// or a bare whole number of seconds.
    /// </summary>
    public static Func<string, TimeSpan> Duration(TimeSpan min, TimeSpan max) => text =>
    {
        var expected = $"expected a duration from {Shown(min)} to {Shown(max)} such as 90s, 12m or 1h30m, got '{text}'.";
        TimeSpan total;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= (long)TimeSpan.MaxValue.TotalSeconds)
        {
            total = TimeSpan.FromSeconds(seconds);
        }
        else
        {
            var parts = System.Text.RegularExpressions.Regex.Matches(text, @"\G([0-9]+(?:\.[0-9]+)?)(ms|h|m|s)");
            if (parts.Count == 0 || parts.Sum(p => p.Length) != text.Length) throw new FormatException(expected);
            total = TimeSpan.Zero;
            foreach (System.Text.RegularExpressions.Match part in parts)
            {
                var value = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
                total += part.Groups[2].Value switch
                {
                    "h" => TimeSpan.FromHours(value),
                    "m" => TimeSpan.FromMinutes(value),
                    "s" => TimeSpan.FromSeconds(value),
                    _ => TimeSpan.FromMilliseconds(value),
                };
            }
        }
        return total >= min && total <= max ? total : throw new FormatException(expected);
    };

    private static string Shown(TimeSpan span) => span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? $"{span.TotalHours}h"
        : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? $"{span.TotalMinutes}m" : $"{span.TotalSeconds}s";

    /// <summary>One of <paramref name="names"/> (case-insensitive), mapped to its enum value.</summary>
    public static Func<string, TEnum> Choice<TEnum>(params (string Name, TEnum Value)[] names) => text =>
    {
        foreach (var (name, value) in names)
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase)) return value;
        throw new FormatException($"expected {string.Join(" or ", names.Select(n => n.Name))}, got '{text}'.");
    };

    /// <summary>A comma-separated list; empty entries and spaces around entries are dropped.</summary>
    /// <exception cref="FormatException">The list has no entry.</exception>
    public static IReadOnlyList<string> List(string text)
    {
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length > 0 ? items : throw new FormatException($"expected a comma-separated list, got '{text}'.");
    }

    /// <summary>A comma-separated list of <c>key=value</c> pairs (e.g. <c>gcr.io=127.0.0.1:5000</c>).</summary>
    /// <exception cref="FormatException">An entry is not <c>key=value</c> with both sides non-empty.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(string text) =>
        List(text).Select(entry =>
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0
                ? KeyValuePair.Create(parts[0], parts[1])
                : throw new FormatException($"'{entry}' is not key=value.");
        }).ToList();

    /// <summary>Any non-empty text.</summary>
    public static string Text(string text) => text;
}
