using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Promotion.Registries;
using Promoter.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Build.Tests.Tasks.Promote.CrashConsistency;

/// <summary>The promoting process SIGKILLed at 20 points of a promotion, counted in requests to the destination; each rerun converges.</summary>
[LongRunning]
public sealed class PromoterKillTests(ITestOutputHelper output) : CrashScenario(output)
{
    [Fact]
    public async Task Every_kill_of_the_promoting_process_converges_on_the_rerun_and_leaves_no_manifest_without_its_blobs()
    {
        using var pool = Pool();
        var expected = await CleanRunAsync("prod-clean");
        expected.Should().Contain(FooTagless).And.Contain(Bar);

        var killed = 0;
        var converged = 0;
        var points = Enumerable.Range(0, 20).Select(i => 1 + i * 3).ToList(); // requests 1, 4, ..., 58
        await ForEachPointAsync(points, async (_, point) =>
        {
            var prefix = $"prod-kill-{point}";
            using var proxy = new FaultProxy(Destination.Host);
            var run = Promote(prefix, $"127.0.0.1:{proxy.Port}", killAfterRequests: point, proxy);
            if (run.Killed) Interlocked.Increment(ref killed);

            proxy.Clear();
            var rerun = Promote(prefix, $"127.0.0.1:{proxy.Port}", killAfterRequests: null);
            rerun.ExitCode.Should().Be(0, $"the rerun after a kill at request {point} must converge:\n{rerun.Output}");
            var actual = (await RegistrySnapshotter.TakeAsync(pool, $"{Destination.Host}/{prefix}")).ToText();
            actual.Should().Be(expected, $"after a kill at request {point} and a rerun");
            Interlocked.Increment(ref converged);
            Output.WriteLine($"kill at request {point}: {(run.Killed ? "killed" : "finished first")}, {proxy.Requests.Count} request(s) seen, rerun converged");
        });

        using var client = Destination.CreateClient();
        var incomplete = await RegistryChecks.IncompleteManifestsAsync(client, Destination.StorageRoot);
        var manifests = await RegistryChecks.ManifestsUnderAsync(client, Destination.StorageRoot, "prod-kill-1");
        Output.WriteLine($"kill points {points.Count}, killed mid-run {killed}, reruns converged {converged}, incomplete manifests {incomplete.Count}");
        incomplete.Should().BeEmpty();
        killed.Should().BeGreaterThan(points.Count / 2, "most points fall inside the promotion");
        manifests.Should().NotBeEmpty();
    }
}
