using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Build.Tests.Golden;
using Build.Tests.Host;
using FluentAssertions;
using Xunit;

namespace Build.Tests.E2E;

/// <summary>SIGTERM and SIGINT stop a real run of the build program cleanly: registries stopped, storage removed, exit 128+N.</summary>
[Collection(HostCollection.Name)]
public sealed partial class InterruptionTests
{
    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task A_signal_during_E2E_stops_every_registry_the_run_started_and_removes_its_storage(string signal, int exitCode)
    {
        // Through env --default-signal: a test run started in the background of a non-interactive shell inherits SIGINT
        // ignored (POSIX), and .NET keeps a signal ignored at start ignored, as nohup expects; the build program under
        // test must see the signal as a user's terminal or Prow would send it. env execs dotnet: same process id.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = BuildProgram.RepositoryRoot,
        };
        foreach (var arg in new[] { "--default-signal=INT,TERM", "dotnet", Path.Combine(AppContext.BaseDirectory, "Build.dll"), "--target", "E2E", "--exclusive", "--verbosity", "normal" })
            start.ArgumentList.Add(arg);
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var registries = new List<(string Host, string Storage)>();
        var output = new System.Text.StringBuilder();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // Wait until the run has started its registries and serves every host of the e2e file, then interrupt it.
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } colored)
        {
            var line = Ansi().Replace(colored, "");
            output.AppendLine(line);
            if (StartedLine().Match(line) is { Success: true } started) registries.Add((started.Groups[1].Value, started.Groups[2].Value));
            if (line.Contains("serving asia.registry.test", StringComparison.Ordinal)) break;
        }
        registries.Should().NotBeEmpty(output.ToString());
        Process.Start("kill", $"-{signal} {process.Id}")!.WaitForExit();
        var rest = process.StandardOutput.ReadToEndAsync();
        (await WaitAsync(process, TimeSpan.FromSeconds(30))).Should().BeTrue("the run must stop after the signal");

        process.ExitCode.Should().Be(exitCode, output + await rest + await errors);
        (await errors).Should().Contain($"SIG{signal}: the run is interrupted");
        foreach (var (host, storage) in registries)
        {
            Directory.Exists(storage).Should().BeFalse($"the storage of {host} is removed");
            Accepts(host).Should().BeFalse($"the registry at {host} is stopped");
        }
    }

    private static bool Accepts(string host)
    {
        var colon = host.LastIndexOf(':');
        try
        {
            using var client = new TcpClient();
            client.Connect(host[..colon], int.Parse(host[(colon + 1)..]));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> WaitAsync(Process process, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try { await process.WaitForExitAsync(timeout.Token); return true; }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); return false; }
    }

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"Started a local registry at (\S+) \(storage (\S+)\)")]
    private static partial Regex StartedLine();
}
