using System.Diagnostics;
using System.Net;
using FluentAssertions;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;
using Promoter.Tests.Promotion.Engine;
using Promoter.Tests.Support;
using Xunit;

namespace Promoter.Tests.Registry;

/// <summary>
/// The registry transport (rate limit, cool-down, Retry-After, retry budget, timeouts) against real Distribution
/// processes behind a <see cref="FaultProxy"/>. Rates are asserted with tolerances and budgets are small, so a loaded
/// machine makes the tests slower, not red.
/// </summary>
public class TransportTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private static RegistryClientOptions Options(RegistryTransport transport, TimeSpan? budget = null, TimeSpan? readTimeout = null) => new()
    {
        Transport = transport,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryBudget = budget ?? TimeSpan.FromSeconds(60),
        ReadTimeout = readTimeout ?? TimeSpan.FromSeconds(20),
    };

    private static RegistryClientOptions Chunked(RegistryTransport transport) => new()
    {
        Transport = transport,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        ChunkedUploadThreshold = 1000,
        ChunkSize = 1000,
    };

    private static RegistryTransport Unlimited() => new(new RegistryTransportOptions { MaxRequestsPerSecond = 0 });

    [Fact]
    public async Task A_429_storm_with_retry_after_is_survived_the_cool_down_is_shared_and_the_promotion_is_byte_exact()
    {
        var id = fixture.Unique("storm");
        using var direct = new RegistryPool(_ => new RegistryClientOptions());
        var source = direct.For(fixture.First.Host);
        var images = new List<PushedImage>();
        for (var i = 0; i < 6; i++) images.Add(await TestImages.PushAsync(source, $"{id}/stg/img", $"v{i}", $"storm layer {id} {i}"));
        using var proxy = new FaultProxy(fixture.Second.Host);
        proxy.Add(new FaultRule("^", FaultKind.TooManyRequests, 12, RetryAfter: TimeSpan.FromSeconds(1)));
        using var transport = Unlimited();
        using var pool = new RegistryPool(_ => Options(transport), transport);
        pool.Alias(EngineFixture.Staging, new RegistryEndpoint(fixture.First.Host, fixture.First.StorageRoot));
        pool.Alias(EngineFixture.Production, new RegistryEndpoint(proxy.Host));
        var edges = images.Select((image, i) => new PromotionEdge($"{EngineFixture.Staging}/{id}/stg", "img", image.Digest.Value,
            $"{EngineFixture.Production}/{id}/prod", "img", $"v{i}")).ToList();
        var policy = new PromotionPolicy { Threads = 4 };

        await new PromotionExecutor(pool, policy.Threads).ExecuteAsync(await new PromotionPlanner(pool, policy).PlanAsync(edges));

        var destination = direct.For(fixture.Second.Host);
        for (var i = 0; i < images.Count; i++)
        {
            var copied = await destination.GetManifestAsync($"{id}/prod/img", $"v{i}");
            copied.Bytes.Should().Equal(images[i].Manifest);
            foreach (var (digest, bytes) in images[i].Blobs)
            {
                await using var blob = await destination.GetBlobAsync($"{id}/prod/img", digest);
                using var read = new MemoryStream();
                await blob.CopyToAsync(read);
                read.ToArray().Should().Equal(bytes);
            }
        }
        var traffic = transport.Traffic().Single(t => t.Host == proxy.Host);
        traffic.TooManyRequests.Should().Be(12);
        traffic.Retries.Should().BeGreaterThanOrEqualTo(12);
        traffic.CoolDownWait.Should().BePositive("requests of other threads waited for the cool-down");
        traffic.Requests.Should().Be(proxy.Requests.Count);
        // After the first 429 (Retry-After: 1), nobody talks to the host until the cool-down ends: requests already on
        // their way arrive within a few milliseconds; none between 0.3 s and 0.9 s.
        var first = proxy.Requests.First(r => r.Status == 429).At;
        proxy.Requests.Where(r => r.At > first + TimeSpan.FromSeconds(0.3) && r.At < first + TimeSpan.FromSeconds(0.9)).Should().BeEmpty();
    }

    [Fact]
    public async Task The_request_rate_holds_at_the_limit_and_stays_under_a_registry_quota()
    {
        var id = fixture.Unique("rate");
        using var direct = new RegistryClient(fixture.First.Host);
        var image = await TestImages.PushAsync(direct, $"{id}/img", "1", $"rate {id}");
        using var proxy = new FaultProxy(fixture.First.Host) { QuotaPerSecond = 25 };
        using var transport = new RegistryTransport(new RegistryTransportOptions { MaxRequestsPerSecond = 20, LimitLoopback = true });
        using var client = new RegistryClient(proxy.Host, Options(transport));
        const int count = 60;

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (_, ct) => (await client.HeadBlobAsync($"{id}/img", image.Blobs[1].Digest, ct)).Should().NotBeNull());
        clock.Stop();

        var requests = proxy.Requests;
        requests.Should().HaveCount(count).And.OnlyContain(r => r.Status == 200, "the limit keeps the client under the quota: no 429");
        var rate = (count - 1) / (requests[^1].At - requests[0].At).TotalSeconds;
        rate.Should().BeLessThanOrEqualTo(21.5, "the limit is 20 requests per second");
        rate.Should().BeGreaterThan(5, "the limiter holds the rate at its limit, it does not starve the requests (a loaded machine runs slower)");
        proxy.PeakIn(TimeSpan.FromSeconds(1)).Should().BeLessThanOrEqualTo(26, "20 a second plus a burst of one, and arrival times a loaded machine bunches");
        transport.Traffic().Single().LimiterWait.Should().BePositive();
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(2.5), "60 requests at 20 per second take about 3 s");
    }

    [Fact]
    public async Task A_503_burst_and_reset_connections_are_retried_and_counted()
    {
        var id = fixture.Unique("burst");
        using var direct = new RegistryClient(fixture.First.Host);
        var image = await TestImages.PushAsync(direct, $"{id}/img", "1", $"burst {id}");
        using var proxy = new FaultProxy(fixture.First.Host);
        proxy.Add(new FaultRule("^GET /v2/.+/manifests/", FaultKind.ServiceUnavailable, 3));
        proxy.Add(new FaultRule("^HEAD /v2/.+/blobs/", FaultKind.Reset, 2));
        using var transport = Unlimited();
        using var client = new RegistryClient(proxy.Host, Options(transport));

        (await client.GetManifestAsync($"{id}/img", "1")).Bytes.Should().Equal(image.Manifest);
        (await client.HeadBlobAsync($"{id}/img", image.Blobs[0].Digest)).Should().NotBeNull();

        var traffic = transport.Traffic().Single();
        traffic.ServerErrors.Should().Be(3);
        traffic.ConnectionFailures.Should().Be(2);
        traffic.Retries.Should().Be(5);
        traffic.Requests.Should().Be(7);
        proxy.Requests.Select(r => r.Status).Should().Equal(503, 503, 503, 200, 0, 0, 200);
    }

    [Fact]
    public async Task A_stalled_body_hits_the_read_timeout_and_is_asked_for_again()
    {
        var id = fixture.Unique("stall");
        using var direct = new RegistryClient(fixture.First.Host);
        var image = await TestImages.PushAsync(direct, $"{id}/img", "1", $"stall {id}");
        using var proxy = new FaultProxy(fixture.First.Host);
        proxy.Add(new FaultRule("^GET /v2/.+/manifests/", FaultKind.StallBody, 1, Stall: TimeSpan.FromSeconds(10)));
        using var transport = Unlimited();
        using var client = new RegistryClient(proxy.Host, Options(transport, readTimeout: TimeSpan.FromSeconds(1)));

        var clock = Stopwatch.StartNew();
        (await client.GetManifestAsync($"{id}/img", "1")).Bytes.Should().Equal(image.Manifest);

        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(0.9)).And.BeLessThan(TimeSpan.FromSeconds(8));
        transport.Traffic().Single().Timeouts.Should().Be(1);
        proxy.Requests.Select(r => r.Fault).Should().Equal(FaultKind.StallBody, null);
    }

    [Fact]
    public async Task An_exhausted_retry_budget_fails_naming_host_request_and_last_status()
    {
        var id = fixture.Unique("budget");
        using var proxy = new FaultProxy(fixture.First.Host);
        proxy.Add(new FaultRule("^GET /v2/.+/manifests/", FaultKind.TooManyRequests, 1000, RetryAfter: TimeSpan.FromSeconds(1)));
        using var transport = Unlimited();
        using var client = new RegistryClient(proxy.Host, Options(transport, budget: TimeSpan.FromSeconds(2.5)));

        var clock = Stopwatch.StartNew();
        var get = async () => await client.GetManifestAsync($"{id}/img", "1");
        var error = (await get.Should().ThrowAsync<RegistryException>()).Which;

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(6));
        error.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        // Attempts at about 0, 1 and 2 s (each Retry-After 1 s): three fit the 2.5 s budget when the first answers come fast,
        // two when a loaded machine slows them; either way the message names the attempts the registry saw.
        var attempts = proxy.Requests.Count;
        attempts.Should().BeInRange(2, 3);
        error.Message.Should().StartWith($"get manifest {proxy.Host}/{id}/img:1: registry {proxy.Host} answered 429")
            .And.Contain($"gave up after {attempts} attempts").And.Contain("retry budget of 2.5 s");
    }

    [Fact]
    public async Task A_retry_after_beyond_the_budget_fails_at_once_and_the_http_date_form_is_honoured()
    {
        var id = fixture.Unique("after");
        using var direct = new RegistryClient(fixture.First.Host);
        var image = await TestImages.PushAsync(direct, $"{id}/img", "1", $"after {id}");
        using var transport = Unlimited();
        using (var proxy = new FaultProxy(fixture.First.Host).Add(new FaultRule("^GET", FaultKind.TooManyRequests, 1, RetryAfter: TimeSpan.FromMinutes(1))))
        {
            using var client = new RegistryClient(proxy.Host, Options(transport, budget: TimeSpan.FromSeconds(10)));
            var get = async () => await client.GetManifestAsync($"{id}/img", "1");
            (await get.Should().ThrowAsync<RegistryException>()).Which.Message.Should().Contain("the registry asked to wait 60 s");
        }

        using (var proxy = new FaultProxy(fixture.First.Host)
                   .Add(new FaultRule("^GET", FaultKind.TooManyRequests, 1, RetryAfter: TimeSpan.FromSeconds(2), RetryAfterAsDate: true)))
        {
            using var client = new RegistryClient(proxy.Host, Options(transport));
            (await client.GetManifestAsync($"{id}/img", "1")).Bytes.Should().Equal(image.Manifest);
            var requests = proxy.Requests;
            requests.Select(r => r.Status).Should().Equal(429, 200);
            // An HTTP-date has whole seconds: "now + 2 s" waits between 1 and 2 s.
            (requests[1].At - requests[0].At).Should().BeGreaterThan(TimeSpan.FromSeconds(0.9));
        }
    }

    [Fact]
    public async Task A_500_is_retried_twice_at_most_and_then_reported_as_possibly_broken_storage()
    {
        var id = fixture.Unique("500");
        using var proxy = new FaultProxy(fixture.First.Host);
        proxy.Add(new FaultRule("^GET /v2/.+/manifests/", FaultKind.InternalServerError, 100));
        using var transport = Unlimited();
        using var client = new RegistryClient(proxy.Host, Options(transport));

        var get = async () => await client.GetManifestAsync($"{id}/img", "1");
        var error = (await get.Should().ThrowAsync<RegistryException>()).Which;

        error.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        error.Message.Should().Contain("gave up after 3 attempts").And.Contain("storage");
        proxy.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task A_reset_upload_chunk_is_not_repeated_in_its_session_but_a_429_is()
    {
        var id = fixture.Unique("upload");
        var content = new byte[3000];
        Random.Shared.NextBytes(content);
        var digest = Promoter.Oci.Digest.Of(content);
        using var transport = Unlimited();
        using (var proxy = new FaultProxy(fixture.First.Host).Add(new FaultRule("^PATCH", FaultKind.TooManyRequests, 1, RetryAfter: TimeSpan.Zero)))
        {
            using var client = new RegistryClient(proxy.Host, Chunked(transport));
            await client.UploadBlobAsync($"{id}/img", digest, content);
            proxy.Requests.Count(r => r.Method == "PATCH").Should().Be(4, "three chunks, the first one twice");
        }
        using (var proxy = new FaultProxy(fixture.First.Host).Add(new FaultRule("^PATCH", FaultKind.Reset, 1)))
        {
            using var client = new RegistryClient(proxy.Host, Chunked(transport));
            var upload = async () => await client.UploadBlobAsync($"{id}/other", digest, content);
            (await upload.Should().ThrowAsync<RegistryException>()).Which.Message.Should().StartWith($"registry {proxy.Host} reset the connection (upload chunk at byte 0");
            proxy.Requests.Count(r => r.Method == "PATCH").Should().Be(1, "a chunk that may have been half-written is not sent again in the same session");
            proxy.Requests.Should().Contain(r => r.Method == "DELETE", "the session is cancelled");
        }
    }

    [Fact]
    public async Task A_promotion_whose_upload_is_reset_restarts_it_in_a_new_session()
    {
        var id = fixture.Unique("restart");
        using var direct = new RegistryPool(_ => new RegistryClientOptions());
        var image = await TestImages.PushAsync(direct.For(fixture.First.Host), $"{id}/stg/img", "1", $"restart layer {id}");
        using var proxy = new FaultProxy(fixture.Second.Host);
        proxy.Add(new FaultRule("^PUT /v2/.+/blobs/uploads/", FaultKind.Reset, 1));
        using var transport = Unlimited();
        using var pool = new RegistryPool(_ => Options(transport), transport);
        pool.Alias(EngineFixture.Staging, new RegistryEndpoint(fixture.First.Host, fixture.First.StorageRoot));
        pool.Alias(EngineFixture.Production, new RegistryEndpoint(proxy.Host));
        var policy = new PromotionPolicy { Threads = 1 };
        var edges = new[] { new PromotionEdge($"{EngineFixture.Staging}/{id}/stg", "img", image.Digest.Value, $"{EngineFixture.Production}/{id}/prod", "img", "1") };

        await new PromotionExecutor(pool, policy.Threads).ExecuteAsync(await new PromotionPlanner(pool, policy).PlanAsync(edges));

        (await direct.For(fixture.Second.Host).GetManifestAsync($"{id}/prod/img", "1")).Bytes.Should().Equal(image.Manifest);
        var uploads = proxy.Requests.Where(r => r.Method == "POST" && r.PathAndQuery.Contains("/blobs/uploads/")).ToList();
        uploads.Should().HaveCount(3, "two blobs, and the one whose commit was reset got a new session");
        proxy.Requests.Count(r => r.Fault == FaultKind.Reset).Should().Be(1);
    }
}
