using System.ComponentModel;
using System.Diagnostics;
using Xunit;

namespace Promoter.Tests.Support;

/// <summary>
/// The family of facts that need a tool on the host: each one is skipped, with the reason, when its tool is missing or
/// does not answer. A subclass probes its tool once per test run and hands the reason (or null) to this constructor.
/// </summary>
public abstract class ToolFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> to <paramref name="unavailable"/> when it is not null.</summary>
    protected ToolFactAttribute(string? unavailable)
    {
        if (unavailable is not null) Skip = unavailable;
    }
}

/// <summary>A fact that is skipped, with the reason, when no Docker daemon answers <c>docker version</c>.</summary>
public sealed class DockerFactAttribute() : ToolFactAttribute(Docker.Unavailable.Value);

/// <summary>A fact that is skipped, with the reason, when Debian's chromium (<see cref="Executable"/>) is not installed.</summary>
public sealed class ChromiumFactAttribute() : ToolFactAttribute(File.Exists(Executable) ? null
    : $"{Executable} is not installed (apt-get install chromium): the report is not checked in a browser")
{
    /// <summary>The browser the report tests drive (Debian's <c>chromium</c> package; never a downloaded build).</summary>
    public const string Executable = "/usr/bin/chromium";
}

/// <summary>Runs of a tool on the host, for the probes of the tool facts and for the tests that drive the tool.</summary>
public static class HostTool
{
    /// <summary>Runs <paramref name="tool"/> with <paramref name="arguments"/>; returns its exit code, standard output and error.</summary>
    public static (int ExitCode, string Output, string Error) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>
    /// Null when <paramref name="tool"/> run with <paramref name="arguments"/> exits 0; otherwise the skip reason that
    /// <paramref name="failed"/> makes of the exit code and the first line of standard error, or one saying the tool
    /// cannot be started.
    /// </summary>
    public static string? Probe(string tool, string[] arguments, Func<int, string, string> failed)
    {
        try
        {
            var (exitCode, _, error) = Run(tool, arguments);
            return exitCode == 0 ? null : failed(exitCode, error.Trim().Split('\n')[0]);
        }
        catch (Win32Exception e)
        {
            return $"the {tool} CLI cannot be started ({e.Message})";
        }
    }
}

/// <summary>The docker CLI of the host.</summary>
public static class Docker
{
    /// <summary>Why docker cannot be used (probed once per test run), or null when the daemon answers.</summary>
    // The Test task's closing line groups skips by this reason: keep it short.
    public static readonly Lazy<string?> Unavailable = new(() =>
        HostTool.Probe("docker", ["version", "--format", "{{.Server.Version}}"], (_, error) => $"dockerd not running ({error})"));

    /// <summary>Runs <c>docker</c> with <paramref name="arguments"/>; returns its exit code, standard output and error.</summary>
    public static (int ExitCode, string Output, string Error) Run(params string[] arguments) => HostTool.Run("docker", arguments);
}
