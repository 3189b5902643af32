using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Promotion.Registries;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Build.Tests.Tasks.Promote.CrashConsistency;

/// <summary>A destination registry SIGKILLed and restarted at 20 points of a promotion; each rerun converges.</summary>
[LongRunning]
public sealed class RegistryCrashTests(ITestOutputHelper output) : CrashScenario(output)
{
    [Fact]
    public async Task Every_crash_of_the_destination_registry_converges_on_the_rerun_and_leaves_no_manifest_without_its_blobs()
    {
        var expected = await CleanRunAsync("prod-reg-clean");

        // Each worker crashes a destination registry of its own: a crash must not reach another worker's promotion.
        var destinations = await TestRegistry.StartAllAsync(Workers);
        try
        {
            var crashed = 0;
            var points = Enumerable.Range(0, 20).Select(i => 2 + i * 3).ToList(); // requests 2, 5, ..., 59
            await ForEachPointAsync(points, async (worker, point) =>
            {
                var destination = destinations[worker];
                var prefix = $"prod-crash-{point}";
                using var proxy = new FaultProxy(destination.Host);
                Task restart = Task.CompletedTask;
                FaultRule? crash = null;
                var manifest = WriteManifest(prefix, $"127.0.0.1:{proxy.Port}");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                using (var process = StartPromote(manifest))
                {
                    proxy.Add(crash = KillAt(point, () => restart = destination.CrashAndRestartAsync()));
                    var finished = await WaitAsync(process);
                    finished.Should().NotBeNull("a promotion whose registry crashed still ends (it fails or its retries get through)");
                }
                var crashedRun = clock.Elapsed;
                await restart;
                if (crash?.Caught > 0) Interlocked.Increment(ref crashed);

                proxy.Clear();
                clock.Restart();
                var rerun = Promote(prefix, $"127.0.0.1:{proxy.Port}", killAfterRequests: null);
                var rerunTime = clock.Elapsed;
                rerun.ExitCode.Should().Be(0, $"the rerun after a registry crash at request {point} must converge:\n{rerun.Output}");
                using var reader = new RegistryPool(_ => new RegistryClientOptions());
                reader.Alias(destination.Host, new RegistryEndpoint(destination.Host, destination.StorageRoot));
                (await RegistrySnapshotter.TakeAsync(reader, $"{destination.Host}/{prefix}")).ToText().Should().Be(expected, $"after a registry crash at request {point}");
                Output.WriteLine($"registry crash at request {point}: {(crash?.Caught > 0 ? "crashed" : "finished first")}, rerun converged ({crashedRun.TotalSeconds:F1} s + rerun {rerunTime.TotalSeconds:F1} s)");
            });

            var incomplete = new List<string>();
            foreach (var destination in destinations)
            {
                using var client = destination.CreateClient();
                incomplete.AddRange(await RegistryChecks.IncompleteManifestsAsync(client, destination.StorageRoot));
            }
            Output.WriteLine($"registry crash points {points.Count}, crashed mid-run {crashed}, reruns converged {points.Count}, incomplete manifests {incomplete.Count}");
            incomplete.Should().BeEmpty();
            crashed.Should().BeGreaterThan(points.Count / 2);
        }
        finally
        {
            foreach (var destination in destinations) destination.Dispose();
        }
    }
}
