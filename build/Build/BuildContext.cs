using Build.Golden;
using Build.Host;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;

namespace Build;

/// <summary>
/// The typed context every task reads. Each setting comes from, in order of precedence: the command-line
/// argument <c>--name=value</c>, the environment variable <c>CIP_NAME</c>, the <c>[Cip]</c> section of
/// <c>cake.config</c> (key <c>Name</c>), then the default. At verbose verbosity it logs which source won.
/// </summary>
public class BuildContext : FrostingContext
{
    /// <summary>The environment-variable prefix of build settings (<c>CIP_ENGINE</c>, ...).</summary>
    public const string EnvironmentPrefix = "CIP_";

    /// <summary>The <c>cake.config</c> section of build settings.</summary>
    public const string ConfigSection = "Cip";

    /// <summary>Reads the settings the tasks need.</summary>
    public BuildContext(ICakeContext context) : base(context)
    {
        RepositoryRoot = context.Environment.WorkingDirectory;
        Solution = RepositoryRoot.CombineWithFilePath("Promoter.slnx");
        BuildConfiguration = Setting("configuration", "Release");
        var artifacts = context.Environment.GetEnvironmentVariable("ARTIFACTS");
        Artifacts = string.IsNullOrWhiteSpace(artifacts) ? null : new DirectoryPath(artifacts).MakeAbsolute(context.Environment);
    }

    /// <summary>The repository root (the working directory the bootstrap starts in).</summary>
    public DirectoryPath RepositoryRoot { get; }

    /// <summary>The solution file that Restore, Compile and Test work on.</summary>
    public FilePath Solution { get; }

    /// <summary>The MSBuild configuration (<c>--configuration</c>, default Release).</summary>
    public string BuildConfiguration { get; }

    /// <summary>Run Restore and Compile even when their inputs did not change (<c>--rebuild</c>).</summary>
    public bool Rebuild => Flag("rebuild");

    /// <summary>The folders and files the solution is built from (for up-to-date checks).</summary>
    public static readonly string[] SolutionSources =
        ["build", "tests", "Promoter.slnx", "global.json", "Directory.Build.props", "Directory.Packages.props"];

    /// <summary>The stamp file of an incremental step, under <c>.build/</c>.</summary>
    public string StampFile(string step) => RepositoryRoot.Combine(".build").CombineWithFilePath($"{step}.sha256").FullPath;

    /// <summary>The image engine: <c>oci</c> (daemonless, default) or <c>docker</c> (<c>--engine</c>).</summary>
    /// <exception cref="CakeException">Any other value.</exception>
    public string Engine => _engine ??= Setting("engine", "oci") switch
    {
        "oci" => "oci",
        "docker" => "docker",
        var other => throw new CakeException($"Setting 'engine': expected oci or docker, got '{other}'."),
    };
    private string? _engine;

    /// <summary>The golden set file (<c>--golden</c>, default <c>images/golden/golden.yaml</c>).</summary>
    public FilePath GoldenSetFile => new FilePath(Setting("golden", "images/golden/golden.yaml")).MakeAbsolute(RepositoryRoot);

    /// <summary>The golden sets the repository builds from source: the project's own and upstream CIP's.</summary>
    public static readonly string[] RepositoryGoldenSets = ["images/golden/golden.yaml", "images/golden/upstream/golden.yaml"];

    /// <summary>
    /// The golden set files ContainerizeGolden builds or verifies: the one <c>--golden</c> names, else every set of
    /// <see cref="RepositoryGoldenSets"/>.
    /// </summary>
    public IReadOnlyList<FilePath> ContainerizedGoldenSets =>
        Setting("golden") is { Length: > 0 } file
            ? [new FilePath(file).MakeAbsolute(RepositoryRoot)]
            : RepositoryGoldenSets.Select(f => new FilePath(f).MakeAbsolute(RepositoryRoot)).ToList();

    /// <summary>
    /// The folder the golden set's archive paths are relative to (<c>--golden-archives</c>); null when not given, and then
    /// the golden set file's own <c>archiveRoot</c> key decides.
    /// </summary>
    public DirectoryPath? GoldenArchives =>
        Setting("golden-archives") is { Length: > 0 } folder ? new DirectoryPath(folder).MakeAbsolute(RepositoryRoot) : null;

    /// <summary>The registries of this run (created on first use, stopped at teardown).</summary>
    public Registries Registries => _registries ??= Track(new Registries(Log, Setting("registry-aliases"), Setting("registry-storage")));
    private Registries? _registries;

    /// <summary>The golden set loaded by LoadTarballs, for PushSrc and E2E.</summary>
    public LoadedGolden? Golden { get; set; }

    /// <summary>Where Prow collects artifacts (the <c>ARTIFACTS</c> variable); null when unset.</summary>
    public DirectoryPath? Artifacts { get; }

    /// <summary>
    /// Resolves the setting <paramref name="name"/>: argument, then <c>CIP_NAME</c>, then cake.config
    /// <c>[Cip] name</c>, then <paramref name="defaultValue"/>.
    /// </summary>
    /// <param name="name">The argument name without dashes, e.g. <c>engine</c>.</param>
    /// <param name="defaultValue">Used when no source gives a value.</param>
    public string Setting(string name, string defaultValue) => Setting(name) ?? defaultValue;

    /// <summary>As <see cref="Setting(string,string)"/>, but null when no source gives a value.</summary>
    public string? Setting(string name)
    {
        if (Arguments.HasArgument(name))
        {
            var value = Arguments.GetArguments(name).LastOrDefault() ?? string.Empty;
            Log.Verbose("Setting {0} = '{1}' (from the argument --{0})", name, value);
            return value;
        }

        var variable = EnvironmentPrefix + name.Replace('-', '_').ToUpperInvariant();
        var fromEnvironment = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            Log.Verbose("Setting {0} = '{1}' (from the environment variable {2})", name, fromEnvironment, variable);
            return fromEnvironment;
        }

        var fromConfig = ReadCakeConfig(name);
        if (fromConfig is not null)
        {
            Log.Verbose("Setting {0} = '{1}' (from cake.config [{2}] {0})", name, fromConfig, ConfigSection);
            return fromConfig;
        }

        Log.Verbose("Setting {0} has no value from arguments, {1} or cake.config", name, variable);
        return null;
    }

    /// <summary>True when the flag <c>--name</c> is given (bare or with a true value) or set by environment or cake.config.</summary>
    public bool Flag(string name)
    {
        if (Arguments.HasArgument(name))
        {
            var value = Arguments.GetArguments(name).LastOrDefault();
            return value is null || value.Length == 0 || ParseBool(name, value);
        }
        var text = Setting(name);
        return text is not null && ParseBool(name, text);
    }

    private static bool ParseBool(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new CakeException($"Setting '{name}': expected true or false, got '{value}'."),
    };

    /// <summary>The <c>[Cip]</c> value from cake.config, through Cake's own configuration reader.</summary>
    private string? ReadCakeConfig(string name)
    {
        var value = Configuration.GetValue($"{ConfigSection}_{name.Replace("-", "")}");
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private readonly List<IDisposable> _resources = [];

    /// <summary>Keeps <paramref name="resource"/> (a local registry, a temporary folder) until teardown.</summary>
    public T Track<T>(T resource) where T : IDisposable
    {
        _resources.Add(resource);
        return resource;
    }

    /// <summary>Disposes every tracked resource, newest first; called by <see cref="BuildLifetime"/>.</summary>
    public void DisposeResources()
    {
        for (var i = _resources.Count - 1; i >= 0; i--)
        {
            try { _resources[i].Dispose(); }
            catch (Exception exception) { Log.Warning("Teardown: {0}", exception.Message); }
        }
        _resources.Clear();
    }
}
