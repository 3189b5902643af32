using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;

namespace Build.Settings;

/// <summary>
/// Resolves declared settings: the argument <c>--name=value</c>, else the environment variable <c>CIP_NAME</c>, else
/// <c>cake.config</c> <c>[Cip] Name</c>, else the declared default. At verbose verbosity it logs which source won.
/// Reading a setting that takes part in a declared <see cref="SettingConflict"/> first checks that conflict: two
/// contradictory settings are refused, naming both and where each came from.
/// </summary>
public sealed class SettingReader
{
    private readonly ICakeArguments _arguments;
    private readonly ICakeConfiguration _configuration;
    private readonly Func<string, string?> _environment;
    private readonly ICakeLog _log;
    private readonly IReadOnlyList<SettingConflict> _conflicts;
    private readonly HashSet<SettingConflict> _checked = new(ReferenceEqualityComparer.Instance);

    /// <summary>A reader over one run's arguments, configuration and environment.</summary>
    /// <param name="arguments">The run's arguments (Cake's options already taken out, except <c>target</c>).</param>
    /// <param name="configuration">Cake's configuration (<c>cake.config</c>, with arguments as overrides).</param>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    /// <param name="log">Receives the verbose "which source won" lines.</param>
    /// <param name="conflicts">The pairs of settings that contradict each other (<see cref="BuildSettings.Conflicts"/>); none when null.</param>
    public SettingReader(ICakeArguments arguments, ICakeConfiguration configuration, Func<string, string?> environment, ICakeLog log,
        IReadOnlyList<SettingConflict>? conflicts = null)
    {
        _conflicts = conflicts ?? [];
        _arguments = arguments;
        _configuration = configuration;
        _environment = environment;
        _log = log;
    }

    /// <summary>The value of <paramref name="setting"/> from the first source that gives one, else its default.</summary>
    /// <exception cref="CakeException">The text of the winning source does not parse; the message names the setting, the source and what was expected.
    /// Or the setting contradicts another one (<see cref="SettingConflict"/>); the message names both and their sources.</exception>
    public T Get<T>(Setting<T> setting)
    {
        CheckConflicts(setting);
        return Value(setting);
    }

    /// <summary>Every declared conflict <paramref name="setting"/> takes part in, each checked once per reader.</summary>
    internal void CheckConflicts(SettingDeclaration setting)
    {
        foreach (var conflict in _conflicts)
        {
            if (!conflict.Involves(setting) || _checked.Contains(conflict)) continue;
            if (conflict.First.Holds(this) && conflict.Second.Holds(this))
                throw conflict.Refusal(this);
            _checked.Add(conflict);
        }
    }

    /// <summary>The value of <paramref name="setting"/> without the conflict checks (used by the checks themselves).</summary>
    internal T Value<T>(Setting<T> setting)
    {
        var (text, source) = Text(setting);
        if (text is null)
        {
            _log.Verbose("Setting {0} has no value from arguments, {1} or cake.config: default {2}", setting.Name, setting.EnvironmentVariable, setting.DefaultText);
            return setting.Default;
        }
        _log.Verbose("Setting {0} = '{1}' ({2})", setting.Name, setting.Shown(text), source);
        if (text.Length == 0 && !setting.IsFlag) throw new CakeException($"Setting '{setting.Name}' ({source}): expected {setting.Type}, got an empty value.");
        return setting.Parse(text, source);
    }

    /// <summary>
    /// A repeatable list setting (kpromo's string-slice flags, e.g. <c>--tag=v1 --tag=v2,v3</c>): every occurrence of the
    /// argument, each a comma-separated list, in the order given; without the argument, as <see cref="Get{T}"/> (one list
    /// from the environment, <c>cake.config</c> or the default).
    /// </summary>
    /// <exception cref="CakeException">An occurrence does not parse, or the setting contradicts another one (<see cref="SettingConflict"/>).</exception>
    public IReadOnlyList<string> GetAll(Setting<IReadOnlyList<string>> setting)
    {
        CheckConflicts(setting);
        if (!_arguments.HasArgument(setting.Name)) return Get(setting);
        var source = $"from the argument --{setting.Name}";
        var values = _arguments.GetArguments(setting.Name).SelectMany(text => setting.Parse(text ?? string.Empty, source)).ToList();
        _log.Verbose("Setting {0} = '{1}' ({2}, {3} occurrence(s))", setting.Name, setting.Shown(string.Join(",", values)), source,
            _arguments.GetArguments(setting.Name).Count);
        return values;
    }

    /// <summary>True when some source gives <paramref name="setting"/> a value (so its default is not used).</summary>
    public bool IsGiven(SettingDeclaration setting) => Text(setting).Text is not null;

    /// <summary>Where the value of <paramref name="setting"/> comes from, e.g. "from the environment variable CIP_CONFIRM", or "default".</summary>
    public string Source(SettingDeclaration setting) => Text(setting).Source;

    private (string? Text, string Source) Text(SettingDeclaration setting)
    {
        if (_arguments.HasArgument(setting.Name))
            return (_arguments.GetArguments(setting.Name).LastOrDefault() ?? string.Empty, $"from the argument --{setting.Name}");
        if (_environment(setting.EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            return (fromEnvironment, $"from the environment variable {setting.EnvironmentVariable}");
        if (_configuration.GetValue($"{SettingDeclaration.ConfigSection}_{setting.ConfigKey}") is { Length: > 0 } fromConfig)
            return (fromConfig, $"from cake.config [{SettingDeclaration.ConfigSection}] {setting.ConfigKey}");
        return (null, "default");
    }

    /// <summary>
    /// Fails on an argument that is neither one of <paramref name="declared"/> nor an option Cake itself reads:
    /// <c>target</c>, and Cake configuration keys of Cake's own sections written <c>section_key</c> (e.g.
    /// <c>--settings_noreport=true</c>, <c>--paths_tools=DIR</c>). A setting written with underscores is refused with its dashed name.
    /// </summary>
    /// <exception cref="CakeException">An unknown argument; the message names it and the closest declared names.</exception>
    /// <param name="declared">The declared settings.</param>
    /// <param name="refusal">Gives the message for a name refused on purpose (a kpromo flag not implemented), else null.</param>
    public void RejectUnknown(IReadOnlyCollection<SettingDeclaration> declared, Func<string, string?>? refusal = null)
    {
        var names = declared.Select(d => d.Name).ToList();
        foreach (var name in _arguments.GetArguments().Keys)
        {
            if (names.Contains(name, StringComparer.OrdinalIgnoreCase) || name.Equals("target", StringComparison.OrdinalIgnoreCase)) continue;
            if (refusal?.Invoke(name) is { } refused) throw new CakeException($"Argument '--{name}': {refused}");
            if (names.Contains(name.Replace('_', '-'), StringComparer.OrdinalIgnoreCase))
                throw new CakeException($"Unknown argument '--{name}': build settings are written with dashes; did you mean --{name.Replace('_', '-').ToLowerInvariant()}?");
            if (IsCakeConfigurationKey(name)) continue;
            var closest = names.Select(n => (Name: n, Distance: Distance(name.ToLowerInvariant(), n)))
                .Where(c => c.Distance <= Math.Max(2, name.Length / 3) || c.Name.Contains(name, StringComparison.OrdinalIgnoreCase))
                .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal).Take(3).Select(c => "--" + c.Name).ToList();
            var hint = closest.Count > 0 ? $" Did you mean {string.Join(", ", closest)}?" : "";
            throw new CakeException(
                $"Unknown argument '--{name}': it is neither a Cake option nor a build setting.{hint} " +
                "`./build.sh --help` lists the options and settings.");
        }
    }

    /// <summary>The sections of Cake's own configuration (<c>Settings_SkipVerification</c>, <c>Paths_Tools</c>, <c>NuGet_Source</c>...).</summary>
    private static readonly string[] CakeSections = ["settings", "paths", "nuget", "roslyn"];

    /// <summary>A Cake configuration key given as an argument, <c>section_key</c> with one of <see cref="CakeSections"/>.</summary>
    private static bool IsCakeConfigurationKey(string name)
    {
        var parts = name.Split('_');
        return parts.Length == 2 && parts[1].Length > 0 && parts[1].All(char.IsAsciiLetter)
               && CakeSections.Contains(parts[0], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The Levenshtein distance of two names (for "did you mean").</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
