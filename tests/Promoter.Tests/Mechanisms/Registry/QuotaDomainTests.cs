using System.Diagnostics;
using System.Globalization;
using System.Net;
using FluentAssertions;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Promoter.Tests.Registry;

/// <summary>
/// A source registry on 127.0.0.1 and six destination registries on 127.0.0.2 ... 127.0.0.7 (Linux routes all of 127/8
/// to the loopback interface), each reached only through a <see cref="FaultProxy"/> on its own address; the six proxies
/// share one <see cref="ProxyQuota"/>, as the regional hosts of one Google project share its quota.
/// </summary>
public sealed class FleetFixture() : RegistryFixture(
    [new RegistryOptions(), .. Enumerable.Range(0, Destinations).Select(i => new RegistryOptions { Address = AddressOf(i) })])
{
    /// <summary>How many destination registries.</summary>
    public const int Destinations = 6;

    /// <summary>The source registry (127.0.0.1).</summary>
    public TestRegistry Source => this[0];

    /// <summary>The destinations, on 127.0.0.2 ... 127.0.0.7.</summary>
    public IReadOnlyList<TestRegistry> Fleet => Registries.Skip(1).ToList();

    /// <summary>The address of destination <paramref name="index"/> (0-based): 127.0.0.(index + 2).</summary>
    public static IPAddress AddressOf(int index) => LoopbackAddresses.Of(index + 2);
}

/// <summary>
/// Quota domains against real registries: a promotion into six hosts that share one quota of <c>CAP</c> requests per
/// second meets 429s when each host is limited to <c>CAP</c> on its own, and none when a <c>--quota-domains</c> file puts
/// the six hosts in one domain of <c>CAP</c>; the aggregate rate the proxies saw (any 1 s window, all six together) then
/// stays at or under the cap. <c>QUOTA_IMAGES</c>, <c>QUOTA_CAP</c> and <c>QUOTA_FIGURES</c> (a file the figures are
/// appended to) are bench/quota.sh's knobs.
/// </summary>
public sealed class QuotaDomainTests(FleetFixture fixture, ITestOutputHelper output) : IClassFixture<FleetFixture>
{
    private static int Knob(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    private static readonly int Images = Knob("QUOTA_IMAGES", 3);
    private static readonly int Cap = Knob("QUOTA_CAP", 30);

    /// <summary>The promoter's rate: 80 % of the registry's quota, the headroom an operator leaves for the two clocks
    /// (the client's windows and the registry's) not starting their seconds at the same instant.</summary>
    private static readonly int Rate = Math.Max(1, Cap * 4 / 5);

    /// <summary>What one promotion into the fleet showed.</summary>
    private sealed record Figures(string Mode, int Requests, int TooManyRequests, int PeakPerSecond, TimeSpan Total)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Mode}: {Requests} requests at the six hosts, {TooManyRequests} x 429, aggregate peak {PeakPerSecond} in any 1 s (cap {Cap}), total {Total.TotalSeconds:0.00} s");
    }

    private async Task<Figures> PromoteIntoFleetAsync(string mode, QuotaDomains domains)
    {
        var id = fixture.Unique(mode);
        using var direct = new RegistryClient(fixture.Source.Host);
        var images = new List<PushedImage>();
        for (var i = 0; i < Images; i++) images.Add(await TestImages.PushAsync(direct, $"{id}/stg/img{i}", "v1", $"quota {id} {i}"));

        var quota = new ProxyQuota(Cap);
        var proxies = fixture.Fleet.Select((registry, i) => new FaultProxy(registry.Host, address: FleetFixture.AddressOf(i)) { Quota = quota }).ToList();
        try
        {
            // As --max-requests-per-second=CAP on the command line (it then applies to loopback hosts too), with or without
            // a --quota-domains file.
            using var transport = new RegistryTransport(new RegistryTransportOptions { MaxRequestsPerSecond = Rate, LimitLoopback = true, Domains = domains });
            using var pool = new RegistryPool(_ => new RegistryClientOptions
            {
                Transport = transport,
                RetryBaseDelay = TimeSpan.FromMilliseconds(20),
                RetryBudget = TimeSpan.FromMinutes(2),
                ReadTimeout = TimeSpan.FromSeconds(30),
            }, transport);
            var edges = proxies.SelectMany(proxy => images.Select((image, i) =>
                new PromotionEdge($"{fixture.Source.Host}/{id}/stg", $"img{i}", image.Digest.Value, $"{proxy.Host}/{id}/prod", $"img{i}", "v1"))).ToList();
            var policy = new PromotionPolicy { Threads = 8 };
            var clock = Stopwatch.StartNew();
            var plan = await new PromotionPlanner(pool, policy).PlanAsync(edges);
            await new PromotionExecutor(pool, policy.Threads).ExecuteAsync(plan);
            clock.Stop();

            foreach (var (registry, r) in fixture.Fleet.Select((registry, r) => (registry, r)))
            {
                using var check = new RegistryClient(registry.Host);
                for (var i = 0; i < images.Count; i++)
                    (await check.GetManifestAsync($"{id}/prod/img{i}", "v1")).Bytes.Should().Equal(images[i].Manifest, $"destination {r} holds image {i} byte for byte");
            }
            var seen = proxies.SelectMany(p => p.Requests).ToList();
            var figures = new Figures(mode, seen.Count, seen.Count(r => r.Status == 429), FaultProxy.PeakIn(proxies, TimeSpan.FromSeconds(1)), clock.Elapsed);
            output.WriteLine(figures.ToString());
            foreach (var domain in transport.Domains())
                output.WriteLine($"  domain {domain.Limit.Domain.Name} ({domain.Limit.Rates}): {domain.Requests} requests, {domain.TooManyRequests} x 429, " +
                                 $"waited {domain.LimiterWait.TotalSeconds:0.00} s in its limit");
            if (Environment.GetEnvironmentVariable("QUOTA_FIGURES") is { Length: > 0 } file)
                await File.AppendAllTextAsync(file, string.Create(CultureInfo.InvariantCulture,
                    $"{mode}\t{Images}\t{Cap}\t{figures.Requests}\t{figures.TooManyRequests}\t{figures.PeakPerSecond}\t{figures.Total.TotalSeconds:0.00}\n"));
            return figures;
        }
        finally
        {
            foreach (var proxy in proxies) proxy.Dispose();
        }
    }

    [Fact]
    public async Task Six_hosts_of_one_quota_limited_per_host_meet_429s_and_as_one_domain_meet_none_and_stay_under_the_cap()
    {
        var file = Path.Combine(Path.GetTempPath(), $"quota-domains-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file,
            "domains:\n  - name: fleet\n    hosts: [" + string.Join(", ", Enumerable.Range(0, FleetFixture.Destinations).Select(i => FleetFixture.AddressOf(i).ToString())) +
            $"]\n    requestsPerSecond: {Rate}\n");
        QuotaDomains domains;
        try { domains = QuotaDomains.Load(file); }
        finally { File.Delete(file); }

        var perHost = await PromoteIntoFleetAsync("per-host", QuotaDomains.BuiltIn);
        var perDomain = await PromoteIntoFleetAsync("per-domain", domains);

        perHost.TooManyRequests.Should().BeGreaterThan(0, "six hosts at the cap each send up to six times the shared quota");
        perDomain.TooManyRequests.Should().Be(0, "the six hosts share one limit of the quota's size");
        perDomain.PeakPerSecond.Should().BeLessThanOrEqualTo(Cap, "the domain's limit holds every second to the cap, all six hosts together");
    }
}
