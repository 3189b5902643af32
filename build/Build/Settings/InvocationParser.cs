using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;

namespace Build.Settings;

/// <summary>
/// Reads an e2e test's <c>invocation:</c> (upstream's <c>cip run</c> flags) with the build program's own
/// <see cref="SettingReader"/> against the same declarations as the command line (<see cref="BuildSettings.PromoteDeclarations"/>):
/// the same names, defaults, value parsers, contradictions and errors. Only the arguments count: no environment variable
/// and no <c>cake.config</c> reaches an e2e case.
/// </summary>
public static class InvocationParser
{
    /// <summary>The Promote command an invocation gives; its relative paths resolve against <paramref name="root"/>.</summary>
    /// <param name="arguments">The invocation's words: <c>--name=value</c>, <c>--name value</c> or a bare <c>--flag</c>.</param>
    /// <param name="root">The folder relative paths are resolved against (the repository root).</param>
    /// <exception cref="CakeException">A word that is not a flag, a setting that is not one of Promote's (a kpromo flag this
    /// project refuses names why), a bad value or contradictory settings (named as on the command line), or an invocation
    /// that does not promote (<c>--snapshot</c>, <c>--parse-only</c>, ...).</exception>
    public static PromoteCommand Parse(IReadOnlyList<string> arguments, string root)
    {
        var command = Read(arguments, root);
        if (command.Mode is not (PromoteMode.Promote or PromoteMode.ExecutePlan))
            throw new CakeException($"An e2e invocation promotes; it cannot ask for {command.Mode} (arguments: {string.Join(' ', arguments)}).");
        return command;
    }

    /// <summary>The Promote command <paramref name="arguments"/> give, whatever its mode (<see cref="Parse"/> without the
    /// check that it promotes).</summary>
    /// <exception cref="CakeException">As <see cref="Parse"/>, but for the mode.</exception>
    internal static PromoteCommand Read(IReadOnlyList<string> arguments, string root)
    {
        var reader = new SettingReader(new InvocationArguments(Tokenize(arguments)), new NoConfiguration(), _ => null, new NullLog(), BuildSettings.Conflicts);
        reader.RejectUnknown(BuildSettings.PromoteDeclarations, Refusal);
        return new BuildSettings(reader, root).Promote();
    }

    /// <summary>Why a name that is not one of Promote's settings is refused in an invocation.</summary>
    private static string? Refusal(string name) =>
        KpromoFlags.Refusal(name)
        ?? (BuildSettings.All.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            ? $"--{name} is a setting of the build run, not of a promotion; an e2e invocation takes Promote's settings only"
            : null)
        ?? (name.Contains('_') ? "an e2e invocation takes Promote's settings only, not Cake configuration keys" : null);

    /// <summary>Groups the words by setting name, in order (the last value wins, as on the command line).</summary>
    private static Dictionary<string, List<string>> Tokenize(IReadOnlyList<string> arguments)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < arguments.Count; i++)
        {
            var word = arguments[i];
            if (!word.StartsWith("--", StringComparison.Ordinal) || word.Length == 2)
                throw new CakeException($"Invocation argument '{word}': expected --name=value, --name value or --flag.");
            var equals = word.IndexOf('=');
            var name = equals < 0 ? word[2..] : word[2..equals];
            var value = equals >= 0 ? word[(equals + 1)..]
                : i + 1 < arguments.Count && !arguments[i + 1].StartsWith("--", StringComparison.Ordinal) ? arguments[++i]
                : string.Empty;
            if (!values.TryGetValue(name, out var list)) values[name] = list = [];
            list.Add(value);
        }
        return values;
    }

    private sealed class InvocationArguments(Dictionary<string, List<string>> values) : ICakeArguments
    {
        public bool HasArgument(string name) => values.ContainsKey(name);

        public ICollection<string> GetArguments(string name) => values.TryGetValue(name, out var list) ? list : [];

        public IDictionary<string, ICollection<string>> GetArguments() =>
            values.ToDictionary(p => p.Key, p => (ICollection<string>)p.Value, StringComparer.OrdinalIgnoreCase);
    }

    private sealed class NoConfiguration : ICakeConfiguration
    {
        public string GetValue(string key) => null!;
    }
}
