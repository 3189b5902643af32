using FluentAssertions;
using Promoter.Tests.Support;

namespace Build.Tests.Harness;

/// <summary>Paths of the repository and of upstream's golden set in it, and runs of the real build program.</summary>
internal static partial class BuildProgram
{
    /// <summary>The repository root (the folder holding Promoter.slnx), found upwards from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The committed upstream CIP golden archives, byte for byte upstream's (read only; never modified).</summary>
    public static string UpstreamArchives => Path.Combine(RepositoryRoot, "images", "golden", "upstream", "archives");

    /// <summary>The golden set of the upstream archives; its archiveRoot key names <see cref="UpstreamArchives"/>.</summary>
    public static string UpstreamGoldenSet => Path.Combine(RepositoryRoot, "images", "golden", "upstream", "golden.yaml");

    /// <summary>Runs the real tasks of the build program in the repository root with <paramref name="args"/>.</summary>
    public static HostRunner.Result Run(params string[] args) =>
        HostRunner.Run(typeof(BuildContext).Assembly, RepositoryRoot, ["--verbosity", "normal", .. args]);

    /// <summary>
    /// The compiled build program child processes run: the one build.sh published when it is current
    /// (<see cref="PublishedProgram.Current"/>), else the Build.dll beside the tests.
    /// </summary>
    public static string ChildProgram => Child.Value;

    private static readonly Lazy<string> Child = new(() =>
        PublishedProgram.Current(RepositoryRoot) ?? Path.Combine(AppContext.BaseDirectory, "Build.dll"));

    /// <summary>
    /// Starts the compiled build program (<see cref="ChildProgram"/>) as a child process in the repository root with
    /// <paramref name="args"/>, through <see cref="ExternalTool"/>; <paramref name="prefix"/> (e.g. <c>unshare -n</c>)
    /// runs before <c>dotnet</c>.
    /// </summary>
    /// <exception cref="ExternalToolException">The process could not start.</exception>
    public static RunningTool StartProcess(IEnumerable<string> args, ToolOptions? options = null, params string[] prefix)
    {
        string[] command = [.. prefix, "dotnet", ChildProgram, .. args];
        return ExternalTool.Start(command[0], command[1..], (options ?? new ToolOptions()) with { WorkingDirectory = RepositoryRoot });
    }

    /// <summary>Runs the compiled build program as a child process (see <see cref="StartProcess"/>) to its end.</summary>
    /// <exception cref="ExternalToolException">The process could not start or ran out of time.</exception>
    public static ToolResult RunProcess(params string[] args) => StartProcess(args).Wait();

    /// <summary>
    /// Runs the compiled build program as a child process in the repository root with <paramref name="args"/>, with
    /// <paramref name="environment"/> over this process's variables (a null value removes one): a test whose run needs a variable leaves this process's environment untouched, so it runs beside the others.
    /// The output is standard output and error together, colours removed, as <see cref="Run"/> returns it.
    /// </summary>
    /// <exception cref="ExternalToolException">The process could not start or ran out of time (5 min).</exception>
    public static HostRunner.Result RunWith(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var result = StartProcess(args, new ToolOptions { Environment = environment }).Wait();
        return new HostRunner.Result(result.ExitCode, Colour().Replace(result.Combined, ""));
    }

    /// <summary>
    /// Starts a registry (<see cref="TestRegistry"/>) and pushes upstream's golden set into it under <c>stg/</c> with the
    /// build program's PushSrc (in this process): the source most Promote tests start from.
    /// </summary>
    public static async Task<TestRegistry> StartSeededRegistryAsync()
    {
        var registry = await TestRegistry.StartAsync();
        try
        {
            var seeded = Run("--target", "PushSrc", $"--registry={registry.Host}/stg", $"--golden={UpstreamGoldenSet}");
            seeded.ExitCode.Should().Be(0, seeded.Output);
            return registry;
        }
        catch
        {
            registry.Dispose();
            throw;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial System.Text.RegularExpressions.Regex Colour();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Promoter.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No Promoter.slnx above {AppContext.BaseDirectory}.");
    }
}
