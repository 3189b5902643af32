using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Promoter.Tests.Support;

/// <summary>What a <see cref="FaultRule"/> does to a request it catches instead of forwarding it.</summary>
public enum FaultKind
{
    /// <summary>Answers 429 Too Many Requests, with <c>Retry-After</c> when the rule gives one.</summary>
    TooManyRequests,

    /// <summary>Answers 503 Service Unavailable.</summary>
    ServiceUnavailable,

    /// <summary>Answers 500 Internal Server Error (what Distribution answers for broken storage).</summary>
    InternalServerError,

    /// <summary>Takes the request, then closes the connection with a TCP reset instead of answering.</summary>
    Reset,

    /// <summary>Answers 429 with <c>Retry-After: 1</c> because the request is beyond <see cref="FaultProxy.QuotaPerSecond"/>
    /// (recorded for the quota's answers; as a rule's kind it acts like <see cref="TooManyRequests"/>).</summary>
    OverQuota,

    /// <summary>Forwards the request, then sends the answer's headers and half of its body, and stalls for <see cref="FaultRule.Stall"/>
    /// (default 30 s) before closing the connection. An answer without a body of known length over 1 byte is forwarded whole.</summary>
    StallBody,

    /// <summary>Answers <see cref="FaultRule.Status"/> with <see cref="FaultRule.Body"/> (JSON; none when null) and
    /// <c>Retry-After</c> when the rule gives one.</summary>
    Answer,

    /// <summary>Closes the client's connection and its registry connection (FIN) as soon as the request's head is in,
    /// without forwarding or answering it: what a crash of either end looks like from the other.</summary>
    Drop,

    /// <summary>Takes the request (its body too, unless <see cref="FaultRule.ReadBody"/> is false) and never answers;
    /// the connection is held open until the proxy is disposed.</summary>
    Silence,

    /// <summary>Answers with <see cref="FaultRule.Bytes"/> as they are (a head from <see cref="HttpHead.Answer"/> and
    /// any body), in pieces of <see cref="FaultRule.Piece"/> bytes with <see cref="FaultRule.Pause"/> before each when
    /// <see cref="FaultRule.Piece"/> is set; then, with <see cref="FaultRule.Stall"/>, says nothing more for that long
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: until the proxy is disposed) and closes the connection.</summary>
    Send,
}

/// <summary>
/// One fault of a <see cref="FaultProxy"/>: after letting <see cref="Skip"/> matching requests through, the next
/// <paramref name="Count"/> requests whose <c>METHOD /path?query</c> matches <paramref name="Pattern"/> get
/// <paramref name="Kind"/> instead of the registry's answer.
/// </summary>
/// <param name="Pattern">A regular expression over <c>METHOD /path?query</c>, e.g. <c>^GET /v2/.+/manifests/</c>.</param>
/// <param name="Kind">The fault.</param>
/// <param name="Count">How many matching requests get it (<see cref="int.MaxValue"/>: all).</param>
/// <param name="RetryAfter">For 429, 503 and <see cref="FaultKind.Answer"/>: the <c>Retry-After</c> sent, in whole seconds; null for none.</param>
/// <param name="RetryAfterAsDate">Send <c>Retry-After</c> as an HTTP-date (now plus <paramref name="RetryAfter"/>) rather than seconds.</param>
/// <param name="Stall">For <see cref="FaultKind.StallBody"/> and <see cref="FaultKind.Send"/>: how long the connection
/// stalls before it is closed.</param>
public sealed record FaultRule(string Pattern, FaultKind Kind, int Count, TimeSpan? RetryAfter = null, bool RetryAfterAsDate = false,
    TimeSpan? Stall = null)
{
    internal int Left = Count;
    internal int Skipped;
    internal readonly Regex Matcher = new(Pattern, RegexOptions.CultureInvariant);

    /// <summary>How many matching requests pass before the rule starts catching them (counted from when it is added).</summary>
    public int Skip { get; init; }

    /// <summary>For <see cref="FaultKind.Answer"/>: the status answered.</summary>
    public int Status { get; init; } = 503;

    /// <summary>For <see cref="FaultKind.Answer"/>: the JSON body answered; null for none.</summary>
    public string? Body { get; init; }

    /// <summary>For <see cref="FaultKind.Send"/>: the bytes sent.</summary>
    public byte[] Bytes { get; init; } = [];

    /// <summary>For <see cref="FaultKind.Send"/>: the size of each piece; 0 sends everything at once.</summary>
    public int Piece { get; init; }

    /// <summary>For <see cref="FaultKind.Send"/> in pieces: the wait before each piece.</summary>
    public TimeSpan Pause { get; init; }

    /// <summary>For <see cref="FaultKind.Silence"/>: whether the request's body is read (false: the client's upload blocks
    /// once the socket buffers are full).</summary>
    public bool ReadBody { get; init; } = true;

    /// <summary>Called (on the proxy's thread, before the fault acts) for each request the rule catches: e.g. to kill the
    /// promoting process or the registry at that request, or to let another writer win a race.</summary>
    public Action? Then { get; init; }

    /// <summary>How many requests the rule caught so far.</summary>
    public int Caught => Count - Volatile.Read(ref Left);
}

/// <summary>
/// A registry-like quota: requests beyond <paramref name="perSecond"/> within the last second (a sliding window over the
/// requests it let through) are refused. One instance can be shared by several <see cref="FaultProxy"/>s, as one Google
/// project's quota is shared by its regional hosts.
/// </summary>
/// <param name="perSecond">Requests let through in any second, at least 1.</param>
public sealed class ProxyQuota(int perSecond)
{
    private readonly Queue<long> _window = new();

    /// <summary>Requests let through in any second.</summary>
    public int PerSecond { get; } = perSecond;

    /// <summary>How many requests it refused.</summary>
    public int Refused => Volatile.Read(ref _refused);
    private int _refused;

    /// <summary>Counts a request now: true when it is within the quota, false (counted as refused) when it is beyond.</summary>
    public bool Take()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_window)
        {
            while (_window.Count > 0 && now - _window.Peek() >= Stopwatch.Frequency) _window.Dequeue();
            if (_window.Count >= PerSecond)
            {
                _refused++;
                return false;
            }
            _window.Enqueue(now);
            return true;
        }
    }
}

/// <summary>One request the proxy saw.</summary>
/// <param name="At">When its head arrived, from the proxy's start.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The path and query.</param>
/// <param name="Status">The status answered (0 for a reset, a drop, silence or a stalled body).</param>
/// <param name="Fault">The fault injected, or null when the registry's answer was forwarded.</param>
public sealed record ProxiedRequest(TimeSpan At, string Method, string PathAndQuery, int Status, FaultKind? Fault)
{
    /// <summary>The request's header fields.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The first value of the request header <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The scheme of the request's Authorization header (<c>Basic</c>, <c>Bearer</c>), or null for none.</summary>
    public string? AuthScheme => Header("Authorization")?.Split(' ')[0];
}

/// <summary>
/// The tests' one loopback HTTP proxy in front of a real registry: it records every request (arrival time, method, path,
/// headers, status) and injects faults per request pattern (<see cref="FaultRule"/>): 429 storms (with <c>Retry-After</c>
/// in seconds or as an HTTP-date), 503, 500 or any other status, reset connections, dropped connections (with a callback,
/// e.g. killing a process at the Nth request), silence, stalled or slow bodies; optionally a quota like a real registry's
/// (<see cref="QuotaPerSecond"/>: 429 with <c>Retry-After: 1</c> beyond it). Everything else is forwarded byte for byte,
/// each client connection over a registry connection of its own; the client's Host header (the proxy's) goes through, so
/// the registry's Location headers point back through the proxy. <see cref="Standalone"/> gives one with no registry
/// behind it, a scripted server. Used by the tests and by bench/faults.sh (through bench/FaultProxy).
/// </summary>
/// <remarks>
/// Requests are read off the connection (HTTP/1.1, <see cref="HttpConnection"/>), so the proxy can do what an HTTP server
/// API cannot: reset, drop or hold a connection, stop in the middle of a body. <c>Expect: 100-continue</c> is not
/// honoured before the body: the proxy waits for the body as for any request (clients here do not send it).
/// </remarks>
public sealed class FaultProxy : LoopbackListener
{
    private static readonly FaultRule QuotaRefusal = new("", FaultKind.OverQuota, 1, TimeSpan.FromSeconds(1));
    private static readonly byte[] InjectedError = """{"errors":[{"code":"TOOMANYREQUESTS","message":"injected by the fault proxy"}]}"""u8.ToArray();

    private readonly string? _target;
    private readonly List<FaultRule> _rules = [];
    private readonly ConcurrentQueue<ProxiedRequest> _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _started = Stopwatch.GetTimestamp();

    /// <summary>Starts a proxy on loopback port <paramref name="port"/> (0: a free one) of <paramref name="address"/> (default
    /// 127.0.0.1; any 127.x.y.z on Linux) in front of <paramref name="targetHost"/> (<c>host:port</c>).</summary>
    public FaultProxy(string targetHost, int port = 0, IPAddress? address = null)
        : this(port, address)
    {
        _target = targetHost;
    }

    private FaultProxy(int port, IPAddress? address)
        : base(address, port)
    {
    }

    /// <summary>A proxy with no registry behind it, on a free port of 127.0.0.1: <paramref name="rules"/> answer (or not)
    /// every request; one no rule catches gets 502 Bad Gateway.</summary>
    public static FaultProxy Standalone(params FaultRule[] rules)
    {
        var proxy = new FaultProxy(0, null);
        foreach (var rule in rules) proxy.Add(rule);
        return proxy;
    }

    /// <summary>A registry-like quota of this proxy alone: requests beyond this many within the last second get 429 with
    /// <c>Retry-After: 1</c>; 0 for none. Setting it replaces <see cref="Quota"/> by a quota of its own.</summary>
    public int QuotaPerSecond
    {
        get => Quota?.PerSecond ?? 0;
        set => Quota = value > 0 ? new ProxyQuota(value) : null;
    }

    /// <summary>The quota this proxy enforces, which several proxies may share (one project's quota over several regional
    /// hosts: a request counts wherever it arrives); null for none.</summary>
    public ProxyQuota? Quota { get; set; }

    /// <summary>When the proxy started, as a <see cref="Stopwatch"/> timestamp: <see cref="ProxiedRequest.At"/> counts from it.</summary>
    public long StartedAt => _started;

    /// <summary>Called with every request once its answer (or fault) is decided, before the client gets it (from the
    /// proxy's threads); null for none.</summary>
    public Action<ProxiedRequest>? Seen { get; set; }

    /// <summary>Adds a fault. Rules are tried in the order added, <see cref="FaultKind.Reset"/> rules before all others;
    /// the first matching rule with requests left applies.</summary>
    public FaultProxy Add(FaultRule rule)
    {
        lock (_rules) _rules.Add(rule);
        return this;
    }

    /// <summary>Removes every rule: from now on every request is forwarded (the quota stays).</summary>
    public void Clear()
    {
        lock (_rules) _rules.Clear();
    }

    /// <summary>Every request seen so far, in arrival order.</summary>
    public IReadOnlyList<ProxiedRequest> Requests => _requests.OrderBy(r => r.At).ToList();

    /// <summary>
    /// The highest number of requests that arrived within any window of <paramref name="window"/> (a sliding window over
    /// the arrival times), for checking a rate limit.
    /// </summary>
    public int PeakIn(TimeSpan window)
    {
        var times = Requests.Select(r => r.At).ToList();
        var peak = 0;
        for (int start = 0, end = 0; end < times.Count; end++)
        {
            while (times[end] - times[start] >= window) start++;
            peak = Math.Max(peak, end - start + 1);
        }
        return peak;
    }

    /// <summary>
    /// The highest number of requests that arrived at any of <paramref name="proxies"/> within any window of
    /// <paramref name="window"/> (a sliding window over their arrival times on one clock), for checking the aggregate rate
    /// a set of hosts sees.
    /// </summary>
    public static int PeakIn(IEnumerable<FaultProxy> proxies, TimeSpan window)
    {
        var times = proxies.SelectMany(p => p.Requests.Select(r => p.StartedAt + (long)(r.At.TotalSeconds * Stopwatch.Frequency))).Order().ToList();
        var span = (long)(window.TotalSeconds * Stopwatch.Frequency);
        var peak = 0;
        for (int start = 0, end = 0; end < times.Count; end++)
        {
            while (times[end] - times[start] >= span) start++;
            peak = Math.Max(peak, end - start + 1);
        }
        return peak;
    }

    private FaultRule? Catch(string line)
    {
        lock (_rules)
        {
            foreach (var resets in new[] { true, false })
                foreach (var rule in _rules)
                {
                    if ((rule.Kind == FaultKind.Reset) != resets || rule.Left <= 0 || !rule.Matcher.IsMatch(line)) continue;
                    if (rule.Skipped < rule.Skip)
                    {
                        rule.Skipped++;
                        continue;
                    }
                    rule.Left--;
                    return rule;
                }
        }
        return null;
    }

    private void Record(TimeSpan at, HttpHead head, int status, FaultKind? fault)
    {
        var request = new ProxiedRequest(at, head.Method, head.Target, status, fault) { Headers = head.Headers };
        _requests.Enqueue(request);
        Seen?.Invoke(request);
    }

    /// <summary>
    /// Carries one client connection: for each request, the first rule that catches it acts (or the quota refuses it);
    /// otherwise its head and body go to the registry over this connection's registry connection and the answer comes
    /// back unchanged (its body cut short for <see cref="FaultKind.StallBody"/>).
    /// </summary>
    protected override async Task ServeAsync(HttpConnection client)
    {
        HttpConnection? upstream = null;
        try
        {
            while (await NextHeadAsync(client, upstream) is { } head)
            {
                var at = _clock.Elapsed;
                var rule = Catch($"{head.Method} {head.Target}");
                if (rule is null && Quota is { } quota && !quota.Take()) rule = QuotaRefusal;
                rule?.Then?.Invoke();
                switch (rule?.Kind)
                {
                    case FaultKind.Reset:
                        await client.CopyBodyAsync(head.RequestBody, null, Stopping);
                        Record(at, head, 0, FaultKind.Reset);
                        client.Reset();
                        return;
                    case FaultKind.Drop:
                        Record(at, head, 0, FaultKind.Drop);
                        return;
                    case FaultKind.Silence:
                        if (rule.ReadBody) await client.CopyBodyAsync(head.RequestBody, null, Stopping);
                        Record(at, head, 0, FaultKind.Silence);
                        await Task.Delay(Timeout.Infinite, Stopping);
                        return;
                    case FaultKind.Send:
                        await client.CopyBodyAsync(head.RequestBody, null, Stopping);
                        Record(at, head, SentStatus(rule.Bytes), FaultKind.Send);
                        await SendAsync(client, rule);
                        if (rule.Stall is { } stall)
                        {
                            await Task.Delay(stall, Stopping);
                            return;
                        }
                        continue;
                    case FaultKind.TooManyRequests or FaultKind.OverQuota or FaultKind.ServiceUnavailable or FaultKind.InternalServerError or FaultKind.Answer:
                        await client.CopyBodyAsync(head.RequestBody, null, Stopping);
                        var status = rule.Kind switch
                        {
                            FaultKind.TooManyRequests or FaultKind.OverQuota => 429,
                            FaultKind.ServiceUnavailable => 503,
                            FaultKind.InternalServerError => 500,
                            _ => rule.Status,
                        };
                        Record(at, head, status, rule.Kind);
                        await client.WriteAsync(Injected(rule, status), Stopping);
                        if (head.Closes) return;
                        continue;
                }
                if (_target is null)
                {
                    await client.CopyBodyAsync(head.RequestBody, null, Stopping);
                    Record(at, head, 502, null);
                    await client.WriteAsync(HttpHead.Answer(502, ("Content-Length", "0")), Stopping);
                    continue;
                }
                upstream ??= await HttpConnection.ConnectAsync(_target, Stopping);
                if (!await ForwardAsync(client, upstream, head, at, rule)) return;
            }
        }
        finally
        {
            upstream?.Dispose();
        }
    }

    /// <summary>
    /// The client's next request head; null when the client closed the connection, or when the registry closed its idle
    /// connection meanwhile (the caller then closes the client's, as the registry's socket would have without a proxy).
    /// </summary>
    private async Task<HttpHead?> NextHeadAsync(HttpConnection client, HttpConnection? upstream)
    {
        var next = client.ReadHeadAsync(Stopping);
        if (upstream is null) return await next;
        var idle = upstream.ReadAheadAsync(Stopping);
        if (await Task.WhenAny(next, idle) == next || await idle) return await next;
        _ = next.ContinueWith(read => read.Exception, TaskScheduler.Default); // ends when the client connection is closed
        return null;
    }

    /// <summary>Forwards one request and its answer; false when the connection must end after it.</summary>
    private async Task<bool> ForwardAsync(HttpConnection client, HttpConnection upstream, HttpHead head, TimeSpan at, FaultRule? rule)
    {
        await upstream.WriteAsync(head.Raw, Stopping);
        // The body goes up while the answer is awaited: a registry may answer (and stop reading) before the body's end.
        var sending = client.CopyBodyAsync(head.RequestBody, upstream, Stopping);
        var answering = upstream.ReadHeadAsync(Stopping);
        if (await Task.WhenAny(sending, answering) == sending) await sending; // a client gone mid-body ends it here
        var answer = await answering;
        while (answer is { Status: >= 100 and < 200 and not 101 })
        {
            await client.WriteAsync(answer.Raw, Stopping);
            answer = await upstream.ReadHeadAsync(Stopping);
        }
        if (answer is null) return false; // the registry closed the connection without answering: so does the proxy
        var body = answer.AnswerBody(head.Method);
        var stall = rule?.Kind == FaultKind.StallBody && body is { Kind: HttpBodyKind.Length, Length: > 1 };
        Record(at, head, stall ? 0 : answer.Status, stall ? FaultKind.StallBody : null);
        await client.WriteAsync(answer.Raw, Stopping);
        if (stall)
        {
            await upstream.CopyBodyAsync(body, client, Stopping, limit: body.Length / 2);
            await Task.Delay(rule!.Stall ?? TimeSpan.FromSeconds(30), Stopping);
            return false;
        }
        var relayed = await upstream.CopyBodyAsync(body, client, Stopping);
        return await sending && relayed && body.Kind != HttpBodyKind.UntilClose && !answer.Closes && !head.Closes;
    }

    private static byte[] Injected(FaultRule rule, int status)
    {
        var body = rule.Kind == FaultKind.Answer ? rule.Body is null ? [] : Encoding.UTF8.GetBytes(rule.Body) : InjectedError;
        var headers = new List<(string, string)> { ("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)) };
        if (body.Length > 0) headers.Add(("Content-Type", "application/json"));
        if (rule.RetryAfter is { } after)
            headers.Add(("Retry-After", rule.RetryAfterAsDate
                ? DateTimeOffset.UtcNow.Add(after).ToString("r", CultureInfo.InvariantCulture)
                : ((int)after.TotalSeconds).ToString(CultureInfo.InvariantCulture)));
        return [.. HttpHead.Answer(status, [.. headers]), .. body];
    }

    private async Task SendAsync(HttpConnection client, FaultRule rule)
    {
        var piece = rule.Piece > 0 ? rule.Piece : Math.Max(1, rule.Bytes.Length);
        for (var offset = 0; offset < rule.Bytes.Length; offset += piece)
        {
            if (rule.Piece > 0) await Task.Delay(rule.Pause, Stopping);
            await client.WriteAsync(rule.Bytes.AsMemory(offset, Math.Min(piece, rule.Bytes.Length - offset)), Stopping);
        }
    }

    /// <summary>The status of the status line that starts <paramref name="bytes"/>, or 0.</summary>
    private static int SentStatus(byte[] bytes) =>
        bytes.Length >= 12 && int.TryParse(Encoding.ASCII.GetString(bytes, 9, 3), CultureInfo.InvariantCulture, out var status) ? status : 0;
}
