using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Threading.RateLimiting;
using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>Settings of a <see cref="RegistryTransport"/>. Every member has a usable default.</summary>
public sealed class RegistryTransportOptions
{
    /// <summary>
    /// The most requests per second sent to one host (<c>host[:port]</c> as contacted; a token server is a host of its own);
    /// default 50, kpromo's. 0 means unlimited.
    /// </summary>
    public int MaxRequestsPerSecond { get; init; } = 50;

    /// <summary>
    /// When false (the default), loopback hosts (<c>127.*</c>, <c>localhost</c>, <c>[::1]</c>: registries a run or a test
    /// started on this machine) are not limited; when true, <see cref="MaxRequestsPerSecond"/> applies to them too.
    /// </summary>
    public bool LimitLoopback { get; init; }

    /// <summary>
    /// How long every request to a host waits after that host answered 429 without a <c>Retry-After</c> header (default 1 s).
    /// With the header, the cool-down lasts as long as the header asks.
    /// </summary>
    public TimeSpan DefaultCoolDown { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>What a <see cref="RegistryTransport"/> counted for one host since it was created.</summary>
/// <param name="Host">The host as contacted, <c>host[:port]</c>.</param>
/// <param name="Requests">HTTP requests sent to it (every attempt counts, retries included).</param>
/// <param name="Retries">Of those, attempts that repeated a failed one.</param>
/// <param name="TooManyRequests">429 answers.</param>
/// <param name="ServerErrors">5xx answers.</param>
/// <param name="ConnectionFailures">Requests that ended without an answer: reset, closed or refused connections.</param>
/// <param name="Timeouts">Requests whose answer (headers or body) did not come within the read timeout.</param>
/// <param name="LimiterWait">Time requests spent waiting for the rate limit, summed over requests.</param>
/// <param name="CoolDownWait">Time requests spent waiting for a cool-down after a 429, summed over requests.</param>
public sealed record HostTraffic(string Host, long Requests, long Retries, long TooManyRequests, long ServerErrors,
    long ConnectionFailures, long Timeouts, TimeSpan LimiterWait, TimeSpan CoolDownWait);

/// <summary>
/// The one way registry requests reach the network: every request of every <see cref="RegistryClient"/> sharing it
/// (manifests, blobs, uploads, token requests) passes through its handler, which per host (1) waits while a cool-down
/// after a 429 lasts (shared by all threads talking to that host), (2) takes a token from a
/// <see cref="TokenBucketRateLimiter"/> (<see cref="RegistryTransportOptions.MaxRequestsPerSecond"/>), (3) sends, and
/// counts what happened. Retries are decided above it, by the client (<see cref="RegistryClientOptions.RetryBudget"/>),
/// because only the client can rebuild a request and knows which requests may be repeated.
/// Thread-safe; <see cref="RegistryPool"/> shares one between its clients. Dispose it to free the limiters.
/// </summary>
public sealed class RegistryTransport : IDisposable
{
    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A transport with <paramref name="options"/> (null for the defaults: 50 requests/s per non-loopback host).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative rate or cool-down.</exception>
    public RegistryTransport(RegistryTransportOptions? options = null)
    {
        Options = options ?? new RegistryTransportOptions();
        if (Options.MaxRequestsPerSecond < 0)
            throw new ArgumentOutOfRangeException(nameof(options), Options.MaxRequestsPerSecond, "MaxRequestsPerSecond is 0 (unlimited) or more.");
        if (Options.DefaultCoolDown < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), Options.DefaultCoolDown, "DefaultCoolDown is not negative.");
    }

    /// <summary>The settings.</summary>
    public RegistryTransportOptions Options { get; }

    /// <summary>The counts of every host contacted so far, ordered by host.</summary>
    public IReadOnlyList<HostTraffic> Traffic() =>
        _lanes.Values.Select(l => l.Snapshot()).OrderBy(t => t.Host, StringComparer.Ordinal).ToList();

    /// <summary>The counts of all hosts added up (host <c>*</c>).</summary>
    public HostTraffic Total()
    {
        var all = Traffic();
        return new HostTraffic("*", all.Sum(t => t.Requests), all.Sum(t => t.Retries), all.Sum(t => t.TooManyRequests),
            all.Sum(t => t.ServerErrors), all.Sum(t => t.ConnectionFailures), all.Sum(t => t.Timeouts),
            TimeSpan.FromTicks(all.Sum(t => t.LimiterWait.Ticks)), TimeSpan.FromTicks(all.Sum(t => t.CoolDownWait.Ticks)));
    }

    /// <summary>The handler every request of a client goes through, sending with <paramref name="inner"/>.</summary>
    internal DelegatingHandler CreateHandler(HttpMessageHandler inner) => new Handler(this, inner);

    /// <summary>The time left of <paramref name="host"/>'s cool-down (zero when none).</summary>
    internal TimeSpan CoolDownLeft(string host) => LaneOf(host).CoolDownLeft();

    internal void CountRetry(string host) => Interlocked.Increment(ref LaneOf(host).Retries);

    internal void CountTimeout(string host) => Interlocked.Increment(ref LaneOf(host).Timeouts);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var lane in _lanes.Values) lane.Limiter?.Dispose();
    }

    private Lane LaneOf(string host) => _lanes.GetOrAdd(host, h => new Lane(h, CreateLimiter(h)));

    private TokenBucketRateLimiter? CreateLimiter(string host)
    {
        var rate = Options.MaxRequestsPerSecond;
        if (rate == 0 || (!Options.LimitLoopback && RegistryHost.IsLoopbackHost(host))) return null;
        // Refill k tokens every k/rate seconds with k chosen so the period is at least 50 ms (timer granularity), and let
        // at most one period's tokens pile up: the rate holds exactly and a burst is at most k requests.
        var perPeriod = (int)Math.Ceiling(rate * 0.05);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perPeriod,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)perPeriod / rate),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>
    /// The delay a 429 or 503 asks for with <c>Retry-After</c> (RFC 9110 section 10.2.3: delay-seconds or an HTTP-date),
    /// never negative; null when the header is absent.
    /// </summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>Per-host state: limiter, cool-down end and counters.</summary>
    private sealed class Lane(string host, TokenBucketRateLimiter? limiter)
    {
        public readonly string Host = host;
        public readonly TokenBucketRateLimiter? Limiter = limiter;
        public long Requests, Retries, TooManyRequests, ServerErrors, ConnectionFailures, Timeouts, LimiterWaitTicks, CoolDownWaitTicks;
        private long _coolDownUntil; // Stopwatch timestamp

        public TimeSpan CoolDownLeft()
        {
            var left = Volatile.Read(ref _coolDownUntil) - Stopwatch.GetTimestamp();
            return left > 0 ? Stopwatch.GetElapsedTime(0, left) : TimeSpan.Zero;
        }

        /// <summary>Extends the cool-down to at least <paramref name="length"/> from now (never shortens it).</summary>
        public void CoolDown(TimeSpan length)
        {
            var until = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
            long current;
            do current = Volatile.Read(ref _coolDownUntil);
            while (until > current && Interlocked.CompareExchange(ref _coolDownUntil, until, current) != current);
        }

        public HostTraffic Snapshot() => new(Host, Interlocked.Read(ref Requests), Interlocked.Read(ref Retries),
            Interlocked.Read(ref TooManyRequests), Interlocked.Read(ref ServerErrors), Interlocked.Read(ref ConnectionFailures),
            Interlocked.Read(ref Timeouts), TimeSpan.FromTicks(Interlocked.Read(ref LimiterWaitTicks)),
            TimeSpan.FromTicks(Interlocked.Read(ref CoolDownWaitTicks)));
    }

    /// <summary>Waits for the host's cool-down and rate limit, starts the request's read timeout, sends, counts.</summary>
    private sealed class Handler(RegistryTransport transport, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var lane = transport.LaneOf(request.RequestUri!.Authority);
            var started = Stopwatch.GetTimestamp();
            // The cool-down may be extended by another thread's 429 while this one waits: look again after every wait.
            for (var left = lane.CoolDownLeft(); left > TimeSpan.Zero; left = lane.CoolDownLeft())
                await Task.Delay(left, cancellationToken);
            var cooled = Stopwatch.GetTimestamp();
            Interlocked.Add(ref lane.CoolDownWaitTicks, Stopwatch.GetElapsedTime(started, cooled).Ticks);
            if (lane.Limiter is { } limiter)
            {
                using var lease = await limiter.AcquireAsync(1, cancellationToken);
                Interlocked.Add(ref lane.LimiterWaitTicks, Stopwatch.GetElapsedTime(cooled).Ticks);
                if (!lease.IsAcquired)
                    throw new InvalidOperationException($"the rate limiter of {lane.Host} refused a request although its queue is unbounded.");
            }
            // The read timeout runs from here: time spent queueing for the host is not the registry's silence.
            if (request.Options.TryGetValue(RegistryClient.TimerKey, out var timer)) timer.Start();
            Interlocked.Increment(ref lane.Requests);
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref lane.TooManyRequests);
                    lane.CoolDown(RetryAfter(response) ?? transport.Options.DefaultCoolDown);
                }
                else if ((int)response.StatusCode >= 500)
                {
                    Interlocked.Increment(ref lane.ServerErrors);
                }
                return response;
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref lane.ConnectionFailures);
                throw;
            }
            catch (IOException)
            {
                Interlocked.Increment(ref lane.ConnectionFailures);
                throw;
            }
        }
    }
}
