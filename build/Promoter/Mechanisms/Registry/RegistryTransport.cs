using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Threading.RateLimiting;
using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>
/// The one way registry requests reach the network: every request of every <see cref="RegistryClient"/> sharing it
/// (manifests, blobs, uploads, token requests) passes through its handler, which per quota domain (the host and
/// repository of the request, <see cref="RegistryTransportOptions.Domains"/>) (1) waits while a cool-down after a 429
/// lasts (shared by all threads talking to that domain), (2) takes its turn from the domain's limiter (a
/// <see cref="TokenBucketRateLimiter"/> for an even pace, and <see cref="SlidingWindowRateLimiter"/>s that hold every
/// second, and every minute when one is declared, to the domain's rates), (3) sends, and counts what happened per host
/// and per domain. Retries are decided above it, by the client (<see cref="RegistryClientOptions.RetryBudget"/>),
/// because only the client can rebuild a request and knows which requests may be repeated.
/// Thread-safe; <see cref="RegistryPool"/> shares one between its clients. Dispose it to free the limiters.
/// </summary>
public sealed class RegistryTransport : IDisposable
{
    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Where the client leaves the repository a request is about (absent when it names none), for its quota domain.</summary>
    internal static readonly HttpRequestOptionsKey<string> RepositoryKey = new("promoter.repository");

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

    /// <summary>The counts of every quota domain requests were sent to so far, ordered by name.</summary>
    public IReadOnlyList<DomainTraffic> Domains() =>
        _buckets.Values.Select(b => b.Snapshot()).OrderBy(t => t.Limit.Domain.Name, StringComparer.Ordinal).ToList();

    /// <summary>The counts of all hosts added up (host <c>*</c>).</summary>
    public HostTraffic Total()
    {
        var all = Traffic();
        return new HostTraffic("*", all.Sum(t => t.Requests), all.Sum(t => t.Retries), all.Sum(t => t.TooManyRequests),
            all.Sum(t => t.ServerErrors), all.Sum(t => t.ConnectionFailures), all.Sum(t => t.Timeouts),
            TimeSpan.FromTicks(all.Sum(t => t.LimiterWait.Ticks)), TimeSpan.FromTicks(all.Sum(t => t.CoolDownWait.Ticks)));
    }

    /// <summary>
    /// The quota domain of a request to <paramref name="host"/> (<c>host[:port]</c> as contacted) about
    /// <paramref name="repository"/> (null when it names none), with the rates this transport holds it to: a declared
    /// domain's own (its requests per second defaulting to <see cref="RegistryTransportOptions.MaxRequestsPerSecond"/>),
    /// else <see cref="RegistryTransportOptions.MaxRequestsPerSecond"/>, none for a loopback host unless
    /// <see cref="RegistryTransportOptions.LimitLoopback"/>.
    /// </summary>
    public QuotaLimit LimitOf(string host, string? repository) => LimitOf(Options.Domains.KeyOf(host, repository), host);

    private QuotaLimit LimitOf(QuotaDomainKey domain, string host)
    {
        static int? Rate(int? rate) => rate is > 0 ? rate : null;
        if (domain.Declared is { } declared)
            return new QuotaLimit(domain, Rate(declared.RequestsPerSecond ?? Options.MaxRequestsPerSecond), Rate(declared.RequestsPerMinute));
        if (!Options.LimitLoopback && domain.Kind == QuotaDomainKind.Host && RegistryHost.IsLoopbackHost(host))
            return new QuotaLimit(domain, null, null);
        return new QuotaLimit(domain, Rate(Options.MaxRequestsPerSecond), null);
    }

    /// <summary>The handler every request of a client goes through, sending with <paramref name="inner"/>.</summary>
    internal DelegatingHandler CreateHandler(HttpMessageHandler inner) => new Handler(this, inner);

    /// <summary>The time left of the cool-down of the domain of <paramref name="host"/> and <paramref name="repository"/> (zero when none).</summary>
    internal TimeSpan CoolDownLeft(string host, string? repository) => BucketOf(host, repository).CoolDownLeft();

    internal void CountRetry(string host) => Interlocked.Increment(ref LaneOf(host).Retries);

    internal void CountTimeout(string host) => Interlocked.Increment(ref LaneOf(host).Timeouts);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var bucket in _buckets.Values) bucket.Limiter?.Dispose();
    }

    private Lane LaneOf(string host) => _lanes.GetOrAdd(host, h => new Lane(h));

    private Bucket BucketOf(string host, string? repository)
    {
        var domain = Options.Domains.KeyOf(host, repository);
        if (_buckets.TryGetValue(domain.Name, out var known)) return known;
        var limit = LimitOf(domain, host);
        var created = new Bucket(limit, limit.IsUnlimited ? null : new QuotaLimiter(limit.PerSecond, limit.PerMinute));
        var bucket = _buckets.GetOrAdd(domain.Name, created);
        if (!ReferenceEquals(bucket, created)) created.Limiter?.Dispose();
        return bucket;
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

    /// <summary>Per-host counters.</summary>
    private sealed class Lane(string host)
    {
        public readonly string Host = host;
        public long Requests, Retries, TooManyRequests, ServerErrors, ConnectionFailures, Timeouts, LimiterWaitTicks, CoolDownWaitTicks;

        public HostTraffic Snapshot() => new(Host, Interlocked.Read(ref Requests), Interlocked.Read(ref Retries),
            Interlocked.Read(ref TooManyRequests), Interlocked.Read(ref ServerErrors), Interlocked.Read(ref ConnectionFailures),
            Interlocked.Read(ref Timeouts), TimeSpan.FromTicks(Interlocked.Read(ref LimiterWaitTicks)),
            TimeSpan.FromTicks(Interlocked.Read(ref CoolDownWaitTicks)));
    }

    /// <summary>Per-domain state: limiter, cool-down end and counters.</summary>
    private sealed class Bucket(QuotaLimit limit, QuotaLimiter? limiter)
    {
        public readonly QuotaLimit Limit = limit;
        public readonly QuotaLimiter? Limiter = limiter;
        public readonly ConcurrentDictionary<string, bool> Hosts = new(StringComparer.OrdinalIgnoreCase);
        public long Requests, TooManyRequests, LimiterWaitTicks;
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

        public DomainTraffic Snapshot() => new(Limit, Hosts.Keys.Order(StringComparer.Ordinal).ToList(), Interlocked.Read(ref Requests),
            Interlocked.Read(ref TooManyRequests), TimeSpan.FromTicks(Interlocked.Read(ref LimiterWaitTicks)));
    }

    /// <summary>Waits for the domain's cool-down and rate limit, starts the request's read timeout, sends, counts.</summary>
    private sealed class Handler(RegistryTransport transport, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var host = request.RequestUri!.Authority;
            var lane = transport.LaneOf(host);
            var bucket = transport.BucketOf(host, request.Options.TryGetValue(RepositoryKey, out var repository) ? repository : null);
            bucket.Hosts.TryAdd(host, true);
            var started = Stopwatch.GetTimestamp();
            // The cool-down may be extended by another thread's 429 while this one waits: look again after every wait.
            for (var left = bucket.CoolDownLeft(); left > TimeSpan.Zero; left = bucket.CoolDownLeft())
                await Task.Delay(left, cancellationToken);
            var cooled = Stopwatch.GetTimestamp();
            Interlocked.Add(ref lane.CoolDownWaitTicks, Stopwatch.GetElapsedTime(started, cooled).Ticks);
            if (bucket.Limiter is { } limiter)
            {
                await limiter.AcquireAsync(bucket.Limit.Domain.Name, cancellationToken);
                var waited = Stopwatch.GetElapsedTime(cooled).Ticks;
                Interlocked.Add(ref lane.LimiterWaitTicks, waited);
                Interlocked.Add(ref bucket.LimiterWaitTicks, waited);
            }
            // The read timeout runs from here: time spent queueing for the domain is not the registry's silence.
            if (request.Options.TryGetValue(RegistryClient.TimerKey, out var timer)) timer.Start();
            Interlocked.Increment(ref lane.Requests);
            Interlocked.Increment(ref bucket.Requests);
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref lane.TooManyRequests);
                    Interlocked.Increment(ref bucket.TooManyRequests);
                    bucket.CoolDown(RetryAfter(response) ?? transport.Options.DefaultCoolDown);
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

/// <summary>
/// The limiter of one quota domain, built from System.Threading.RateLimiting: a <see cref="TokenBucketRateLimiter"/> at the
/// per-second rate keeps the pace even (k tokens every k/rate seconds, the period at least 50 ms, at most k in a burst),
/// and a <see cref="SlidingWindowRateLimiter"/> per rate makes it a cap: no more than the rate's requests in any second
/// (or minute). A sliding window's permit comes back 20 segments after the start of the segment it was taken in; with
/// segments of <c>window * HoldMargin / 19</c> a permit is held between <see cref="HoldMargin"/> windows (5 % above the
/// window, for the jitter between the turn given here and the arrival at the registry) and 1.105 windows, so a saturated
/// domain runs at about 90 to 95 % of its rate and never above it. Requests queue in order, unbounded.
/// </summary>
internal sealed class QuotaLimiter : IDisposable
{
    /// <summary>How many windows a permit is held at least.</summary>
    internal const double HoldMargin = 1.05;

    private const int Segments = 20;

    private readonly TokenBucketRateLimiter? _pace;
    private readonly SlidingWindowRateLimiter? _second;
    private readonly SlidingWindowRateLimiter? _minute;

    /// <summary>A limiter of at most <paramref name="perSecond"/> requests in any second and <paramref name="perMinute"/> in
    /// any minute (null: no such limit).</summary>
    public QuotaLimiter(int? perSecond, int? perMinute)
    {
        if (perSecond is { } rate)
        {
            var perPeriod = (int)Math.Ceiling(rate * 0.05);
            _pace = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = perPeriod,
                TokensPerPeriod = perPeriod,
                ReplenishmentPeriod = TimeSpan.FromSeconds((double)perPeriod / rate),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
            _second = Window(rate, TimeSpan.FromSeconds(1));
        }
        if (perMinute is { } minute) _minute = Window(minute, TimeSpan.FromMinutes(1));
    }

    private static SlidingWindowRateLimiter Window(int permits, TimeSpan window) => new(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = permits,
        SegmentsPerWindow = Segments,
        Window = window * (HoldMargin * Segments / (Segments - 1)),
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });

    /// <summary>Waits for the request's turn: the pace first, then the minute's cap, then the second's (taken last, so the
    /// request leaves right after it is counted).</summary>
    /// <exception cref="InvalidOperationException">A limiter refused although its queue is unbounded.</exception>
    public async ValueTask AcquireAsync(string domain, CancellationToken cancellationToken)
    {
        foreach (var limiter in new RateLimiter?[] { _pace, _minute, _second })
        {
            if (limiter is null) continue;
            using var lease = await limiter.AcquireAsync(1, cancellationToken);
            if (!lease.IsAcquired)
                throw new InvalidOperationException($"the rate limiter of quota domain {domain} refused a request although its queue is unbounded.");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _pace?.Dispose();
        _second?.Dispose();
        _minute?.Dispose();
    }
}
