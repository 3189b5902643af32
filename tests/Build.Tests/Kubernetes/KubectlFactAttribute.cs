using System.Diagnostics;
using Promoter.Tests.Support;

namespace Build.Tests.Kubernetes;

/// <summary>A fact that is skipped, with the reason, when <c>kubectl version --client</c> fails (kubectl not installed).</summary>
public sealed class KubectlFactAttribute : ToolFactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    /// <summary>Skipped with the reason the probe gives.</summary>
    public KubectlFactAttribute() : base(Unavailable.Value) { }

    /// <summary>Runs <c>kubectl</c> with <paramref name="arguments"/>; returns its exit code, standard output and error.</summary>
    public static (int ExitCode, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    private static string? Probe()
    {
        try
        {
            var (exitCode, _, error) = Run("version", "--client");
            return exitCode == 0 ? null : $"kubectl version --client failed (exit code {exitCode}): {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"kubectl is not installed: {e.Message}";
        }
    }
}
