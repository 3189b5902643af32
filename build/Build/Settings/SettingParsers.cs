using System.Globalization;

namespace Build.Settings;

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
