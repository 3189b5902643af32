using System.Net.Sockets;
using System.Text.RegularExpressions;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.E2E;

/// <summary>SIGTERM and SIGINT stop a real run of the build program cleanly: registries stopped, storage removed, exit 128+N.</summary>
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
        using var process = BuildProgram.StartProcess(["--target", "E2E", "--exclusive", "--verbosity", "normal"],
            new ToolOptions { Environment = new Dictionary<string, string?> { ["CI"] = "true" } }, "env", "--default-signal=INT,TERM");

        // Wait until the run has started its registries and serves every host of the e2e file, then interrupt it.
        const string Serving = "serving asia.registry.test";
        var serving = await process.WaitForOutputAsync(text => Ansi().Replace(text, "").Contains(Serving, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var output = Ansi().Replace(process.OutputSoFar, "");
        serving.Should().BeTrue($"the run serves every host within 60 s:\n{output}");
        var registries = StartedLine().Matches(output[..output.IndexOf(Serving, StringComparison.Ordinal)])
            .Select(started => (Host: started.Groups[1].Value, Storage: started.Groups[2].Value)).ToList();
        registries.Should().NotBeEmpty(output);
        ExternalTool.Run("kill", $"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).EnsureSuccess();
        var result = await process.WaitAsync(TimeSpan.FromSeconds(30)); // the run must stop after the signal

        result.ExitCode.Should().Be(exitCode, result.Combined);
        result.Error.Should().Contain($"SIG{signal}: the run is interrupted");
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

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"Started a local registry at (\S+) \(storage (\S+)\)")]
    private static partial Regex StartedLine();
}
