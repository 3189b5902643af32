using Xunit;

namespace Promoter.Tests.Support;

/// <summary>
/// A fact that needs a tool on the host, e.g. <c>[ToolFact("docker")]</c>: it is skipped, with the reason, when the tool
/// is missing or does not answer. The tools and their probes are those of <see cref="HostTools"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> to the reason <paramref name="tool"/> is unavailable, if it is.</summary>
    public ToolFactAttribute(string tool)
    {
        Tool = tool;
        if (HostTools.Unavailable(tool) is { } reason) Skip = reason;
    }

    /// <summary>The tool the fact needs.</summary>
    public string Tool { get; }
}

/// <summary>The tools of the host that some tests need, each probed once per test run.</summary>
public static class HostTools
{
    /// <summary>The browser the report tests drive (Debian's <c>chromium</c> package; never a downloaded build).</summary>
    public const string Chromium = "/usr/bin/chromium";

    // The Test task's closing line groups skips by reason: keep each reason short.
    private static readonly Dictionary<string, Lazy<string?>> Probes = new(StringComparer.Ordinal)
    {
        ["docker"] = new(() => Probe("docker", ["version", "--format", "{{.Server.Version}}"], (_, error) => $"dockerd not running ({error})")),
        ["chromium"] = new(() => File.Exists(Chromium) ? null
            : $"{Chromium} is not installed (apt-get install chromium): the report is not checked in a browser"),
        ["kubectl"] = new(() => Probe("kubectl", ["version", "--client"], (code, error) => $"kubectl version --client failed (exit code {code}): {error}",
            notInstalled: "kubectl is not installed")),
        ["unshare"] = new(() => Probe("unshare", ["-n", "true"], (_, error) => $"unshare -n cannot make a network namespace ({error})",
            notInstalled: "unshare is not installed")),
        ["pwsh"] = new(() => Pwsh is null
            ? "pwsh is not on the PATH nor under .build/pwsh (.ci/run installs it: dotnet tool install --tool-path .build/pwsh PowerShell)"
            : null),
    };

    /// <summary>The tools <see cref="ToolFactAttribute"/> knows.</summary>
    public static IEnumerable<string> Known => Probes.Keys;

    /// <summary>
    /// PowerShell: <c>pwsh</c> on the PATH, or the dotnet tool that <c>.ci/run</c> installs under the repository's
    /// <c>.build/pwsh</c>; null when neither exists.
    /// </summary>
    public static string? Pwsh { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(RepositoryRoot() is { } root ? [Path.Combine(root, ".build", "pwsh")] : [])
            .Select(folder => Path.Combine(folder, "pwsh"))
            .FirstOrDefault(File.Exists);

    /// <summary>Why <paramref name="tool"/> cannot be used (probed once per test run), or null when it can.</summary>
    /// <exception cref="ArgumentException"><paramref name="tool"/> is not one of <see cref="Known"/>.</exception>
    public static string? Unavailable(string tool) =>
        Probes.TryGetValue(tool, out var probe) ? probe.Value
            : throw new ArgumentException($"No probe for '{tool}'; known tools: {string.Join(", ", Known)}.", nameof(tool));

    /// <summary>
    /// Null when <paramref name="tool"/> run with <paramref name="arguments"/> exits 0; otherwise the skip reason that
    /// <paramref name="failed"/> makes of the exit code and the first line of standard error, or one saying the tool
    /// cannot be started.
    /// </summary>
    private static string? Probe(string tool, string[] arguments, Func<int, string, string> failed, string? notInstalled = null)
    {
        try
        {
            var result = ExternalTool.Run(tool, arguments, new ToolOptions { Timeout = TimeSpan.FromSeconds(30) });
            return result.ExitCode == 0 ? null : failed(result.ExitCode, result.Error.Trim().Split('\n')[0]);
        }
        catch (ExternalToolException e)
        {
            return notInstalled is null ? $"the {tool} CLI cannot be started ({e.InnerException?.Message ?? e.Message})"
                : $"{notInstalled}: {e.InnerException?.Message ?? e.Message}";
        }
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Promoter.slnx"))) return dir.FullName;
        return null;
    }
}
