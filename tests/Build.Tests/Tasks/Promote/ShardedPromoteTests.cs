using System.Diagnostics;
using System.Text.RegularExpressions;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Promotion.Registries;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Build.Tests.Tasks.Promote;

/// <summary>
/// Sharded promotion as N pods of an Indexed Job would run it: N real build-program processes
/// (<c>Promote --shard=I/N --confirm</c>, started at once) against real Distribution processes end with the same
/// snapshots as one unsharded run, and no manifest or tag is written twice: every manifest PUT the destination registries
/// received is counted through a recording proxy, and every copy and tag the executors report is counted in their output.
/// </summary>
[LongRunning]
public sealed class ShardedPromoteTests(ITestOutputHelper output) : SeededRegistryTest("sharded-")
{
    private const string Bar = GoldenDigests.Upstream.Bar;
    private const string FooList = GoldenDigests.Upstream.FooList;
    private const string FooAmd64 = GoldenDigests.Upstream.FooAmd64;
    private const string FooS390x = GoldenDigests.Upstream.FooS390x;
    private const string FooTagless = GoldenDigests.Upstream.FooTagless;

    /// <summary>Destination prefixes in each of the two destination registries: 2 x 3 registries x 2 images = 12 repositories.</summary>
    private static readonly string[] Prefixes = ["prod-a", "prod-b", "mirror/c"];

    /// <summary>Two fresh destination registries, each behind a recording proxy, and the manifest naming the proxies.</summary>
    private sealed class Destinations(TestRegistry[] registries, FaultProxy[] proxies, string manifest) : IDisposable
    {
        public TestRegistry[] Registries { get; } = registries;
        public FaultProxy[] Proxies { get; } = proxies;
        public string Manifest { get; } = manifest;

        /// <summary>The manifest PUTs all destinations received, as <c>dN PUT /v2/...</c> (N: which registry).</summary>
        public List<string> ManifestPuts() => Proxies.SelectMany((p, i) => p.Requests.Select(r => $"{r.Method} {r.PathAndQuery}")
            .Where(r => Regex.IsMatch(r, @"^PUT /v2/\S+/manifests/[^/?\s]+$")).Select(r => $"d{i} {r}")).ToList();

        public void Dispose()
        {
            foreach (var proxy in Proxies) proxy.Dispose();
            foreach (var registry in Registries) registry.Dispose();
        }
    }

    private async Task<Destinations> StartDestinationsAsync(string name)
    {
        var registries = await TestRegistry.StartAllAsync(2);
        var proxies = registries.Select(r => new FaultProxy(r.Host)).ToArray();
        var manifest = Path.Combine(Folder, $"{name}.yaml");
        var destinations = string.Concat(proxies.SelectMany(p => Prefixes.Select(prefix => $"- name: {p.Host}/{prefix}\n")));
        File.WriteAllText(manifest, $"""
            registries:
            - name: {Seeded.Host}/stg
              src: true
            {destinations.TrimEnd()}
            images:
            - name: golden-foo/foo
              dmap:
                "{FooList}": ["1.0"]
                "{FooAmd64}": ["1.0-linux_amd64"]
                "{FooS390x}": ["1.0-linux_s390x"]
                "{FooTagless}": []
            - name: golden-bar/bar
              dmap:
                "{Bar}": ["1.0", "latest"]
            """);
        return new Destinations(registries, proxies, manifest);
    }

    /// <summary>Every destination's snapshot (upstream's YAML, tagless digests included), keyed by registry number and prefix.</summary>
    private static async Task<Dictionary<string, string>> SnapshotsAsync(Destinations destinations)
    {
        using var pool = new RegistryPool(_ => new RegistryClientOptions());
        foreach (var registry in destinations.Registries) pool.Alias(registry.Host, new RegistryEndpoint(registry.Host, registry.StorageRoot));
        var snapshots = new Dictionary<string, string>();
        for (var i = 0; i < destinations.Registries.Length; i++)
            foreach (var prefix in Prefixes)
                snapshots[$"d{i}/{prefix}"] = (await RegistrySnapshotter.TakeAsync(pool, $"{destinations.Registries[i].Host}/{prefix}")).ToText();
        return snapshots;
    }

    /// <summary>The executor's write lines (<c>copied A -> B</c>, <c>tagged A -> D</c>) with the proxies' hosts as <c>dN</c>.</summary>
    private static List<string> Writes(string text, Destinations destinations)
    {
        var lines = Regex.Matches(text, @"(copied|tagged) \S+ -> \S+").Select(m => m.Value).ToList();
        for (var i = 0; i < destinations.Proxies.Length; i++)
            lines = lines.Select(l => l.Replace(destinations.Proxies[i].Host, $"d{i}")).ToList();
        return lines;
    }

    [Fact]
    public async Task N_shards_at_once_end_with_the_snapshots_of_one_run_and_write_nothing_twice()
    {
        using var single = await StartDestinationsAsync("single");
        var one = await RunAsync(single.Manifest, shardArgument: null, artifacts: null);
        one.Single().ExitCode.Should().Be(0, one.Single().Output);
        var expected = await SnapshotsAsync(single);
        var expectedPuts = single.ManifestPuts();
        var expectedWrites = Writes(one.Single().Output, single);
        expected.Values.Should().OnlyContain(s => s.Contains(FooTagless) && s.Contains(Bar) && s.Contains("\"1.0-linux_s390x\""));
        expectedPuts.Should().OnlyHaveUniqueItems("one run writes each manifest and tag once");
        expectedPuts.Where(p => !p.Contains("/manifests/sha256:", StringComparison.Ordinal)).Should().HaveCount(
            expectedWrites.Count(w => w.StartsWith("tagged ", StringComparison.Ordinal)),
            "each tag the executor reports is one PUT (a copied manifest goes up with its first tag, an index's child by digest)");
        output.WriteLine($"one run: {expectedPuts.Count} manifest PUT(s), {expectedWrites.Count} write line(s)");

        foreach (var count in new[] { 1, 2, 4 })
        {
            using var destinations = await StartDestinationsAsync($"n{count}");
            var artifacts = Directory.CreateDirectory(Path.Combine(Folder, $"artifacts-{count}")).FullName;
            var clock = Stopwatch.StartNew();
            var runs = await RunAsync(destinations.Manifest, count, artifacts);
            var elapsed = clock.Elapsed;
            for (var i = 0; i < count; i++)
            {
                runs[i].ExitCode.Should().Be(0, $"shard {i} of {count}:\n{runs[i].Output}");
                runs[i].Output.Should().Contain($"shard {i} of {count}: ").And.Contain($"[shard {i} of {count}] plan: ");
                File.Exists(Path.Combine(artifacts, $"junit_promotion_shard-{i}-of-{count}.xml")).Should().BeTrue("each shard writes its own JUnit file");
                File.Exists(Path.Combine(artifacts, $"plan.shard-{i}-of-{count}.json")).Should().BeTrue("each shard writes its own plan");
            }

            (await SnapshotsAsync(destinations)).Should().BeEquivalentTo(expected, $"{count} shard(s) together do one promotion");
            var puts = destinations.ManifestPuts();
            puts.Should().OnlyHaveUniqueItems($"no manifest or tag is written twice by {count} shard(s)")
                .And.BeEquivalentTo(expectedPuts, "the shards write exactly what one run writes");
            var writes = runs.SelectMany(r => Writes(r.Output, destinations)).ToList();
            writes.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(expectedWrites, "the executors together report one run's writes");
            var repositoriesByShard = runs.Select(r => Writes(r.Output, destinations)
                .Select(w => Regex.Match(w, @"\bd\d/[^:@\s]+").Value).ToHashSet()).ToList();
            for (var a = 0; a < count; a++)
                for (var b = a + 1; b < count; b++)
                    repositoriesByShard[a].Should().NotIntersectWith(repositoriesByShard[b], $"shards {a} and {b} of {count} write disjoint repositories");
            output.WriteLine($"N={count}: {puts.Count} manifest PUT(s), {writes.Count} write line(s), per shard " +
                $"[{string.Join(", ", runs.Select(r => Writes(r.Output, destinations).Count))}], {elapsed.TotalSeconds:0.0} s");
        }
    }

    [Fact]
    public async Task A_second_sharded_run_plans_nothing_in_any_shard()
    {
        using var destinations = await StartDestinationsAsync("again");
        (await RunAsync(destinations.Manifest, 2, null)).Should().OnlyContain(r => r.ExitCode == 0);
        var before = destinations.ManifestPuts().Count;
        var again = await RunAsync(destinations.Manifest, 2, null);
        again.Should().OnlyContain(r => r.ExitCode == 0 && r.Output.Contains(" 0 copies, 0 tag(s), 0 refused"));
        destinations.ManifestPuts().Should().HaveCount(before, "a no-op shard writes nothing");
    }

    /// <summary>Runs <c>Promote --confirm</c> once (no shard), or <paramref name="shardArgument"/> processes at once with
    /// <c>--shard=I/N</c>, each a real build-program process; waits for all.</summary>
    private async Task<List<(int ExitCode, string Output)>> RunAsync(string manifest, int? shardArgument, string? artifacts)
    {
        var count = shardArgument ?? 1;
        var processes = Enumerable.Range(0, count).Select(i => BuildProgram.StartProcess(
            [
                "--target", "Promote", $"--manifest={manifest}", "--confirm", "--verbosity", "verbose",
                .. shardArgument is null ? Array.Empty<string>() : [$"--shard={i}/{count}"],
                .. artifacts is null ? Array.Empty<string>() : [$"--plan-out={Path.Combine(artifacts, "plan.json")}"],
            ],
            new ToolOptions { Environment = new Dictionary<string, string?> { ["ARTIFACTS"] = artifacts }, Timeout = TimeSpan.FromMinutes(3) })).ToList();
        var results = new List<(int, string)>();
        foreach (var process in processes)
        {
            using (process)
            {
                var result = await process.WaitAsync();
                results.Add((result.ExitCode, result.Combined));
            }
        }
        return results;
    }
}
