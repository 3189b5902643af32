using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
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
    /// before closing the connection.</summary>
    StallBody,
}

/// <summary>
/// One fault of a <see cref="FaultProxy"/>: the next <paramref name="Count"/> requests whose <c>METHOD /path?query</c>
/// matches <paramref name="Pattern"/> get <paramref name="Kind"/> instead of the registry's answer.
/// </summary>
/// <param name="Pattern">A regular expression over <c>METHOD /path?query</c>, e.g. <c>^GET /v2/.+/manifests/</c>.</param>
/// <param name="Kind">The fault.</param>
/// <param name="Count">How many matching requests get it.</param>
/// <param name="RetryAfter">For 429 and 503: the <c>Retry-After</c> sent, in whole seconds; null for none.</param>
/// <param name="RetryAfterAsDate">Send <c>Retry-After</c> as an HTTP-date (now plus <paramref name="RetryAfter"/>) rather than seconds.</param>
/// <param name="Stall">For <see cref="FaultKind.StallBody"/>: how long the body stalls before the connection is closed.</param>
public sealed record FaultRule(string Pattern, FaultKind Kind, int Count, TimeSpan? RetryAfter = null, bool RetryAfterAsDate = false,
    TimeSpan? Stall = null)
{
    internal int Left = Count;
    internal readonly Regex Matcher = new(Pattern, RegexOptions.CultureInvariant);
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
/// <param name="At">When it arrived, from the proxy's start.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The path and query.</param>
/// <param name="Status">The status answered (0 for a reset or a stalled body).</param>
/// <param name="Fault">The fault injected, or null when the registry's answer was forwarded.</param>
public sealed record ProxiedRequest(TimeSpan At, string Method, string PathAndQuery, int Status, FaultKind? Fault);

/// <summary>
/// A loopback HTTP proxy in front of a real registry that injects faults: per request pattern, 429 storms (with
/// <c>Retry-After</c> in seconds or as an HTTP-date), 503 or 500 bursts, reset connections and stalled bodies (<see cref="FaultRule"/>),
/// and optionally a quota like a real registry's (<see cref="QuotaPerSecond"/>: 429 with <c>Retry-After: 1</c> for requests
/// beyond it within a second). Everything else is forwarded unchanged, with the proxy's own Host header so the registry's
/// Location headers point back through it. Records every request with its arrival time, for rate measurements.
/// Used by the tests and by bench/faults.sh (through bench/FaultProxy).
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };
    private readonly string _target;
    private readonly List<FaultRule> _rules = [];
    private readonly RequestLog _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly IPAddress _address;
    private readonly CancellationTokenSource _stop = new();

    private readonly TcpListener _front;
    private readonly int _innerPort;

    /// <summary>Starts a proxy on loopback port <paramref name="port"/> (0: a free one) of <paramref name="address"/> (default
    /// 127.0.0.1; any 127.x.y.z on Linux) in front of <paramref name="targetHost"/> (<c>host:port</c>).</summary>
    /// <remarks>
    /// Two layers: a TCP front on <see cref="Port"/> that reads each request's head and body off the connection (resets
    /// happen here: the connection is closed with an RST, which an HTTP server API cannot do) and pipes the rest to an
    /// <see cref="HttpListener"/> on another loopback port, which injects the answers and forwards to the registry.
    /// </remarks>
    public FaultProxy(string targetHost, int port = 0, IPAddress? address = null)
    {
        _target = targetHost;
        _address = address ?? IPAddress.Loopback;
        _requests.Owner = this;
        _front = new TcpListener(_address, port);
        _front.Start();
        Port = ((IPEndPoint)_front.LocalEndpoint).Port;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        _innerPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://+:{_innerPort}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
        _ = Task.Run(AcceptAsync);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _front.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(() => PipeAsync(client));
        }
    }

    /// <summary>
    /// Carries one client connection: for each request, reads its head (up to the blank line) and its Content-Length body,
    /// then either resets the connection (a <see cref="FaultKind.Reset"/> rule matched) or passes the bytes to the inner
    /// listener over a connection of its own; answers flow back unchanged.
    /// </summary>
    private async Task PipeAsync(Socket client)
    {
        using var inner = new TcpClient();
        try
        {
            await inner.ConnectAsync(IPAddress.Loopback, _innerPort, _stop.Token);
            await using var fromClient = new NetworkStream(client, ownsSocket: false);
            await using var toInner = inner.GetStream();
            var back = toInner.CopyToAsync(fromClient, _stop.Token);
            var pending = new List<byte>();
            var buffer = new byte[64 * 1024];
            while (true)
            {
                int end;
                while ((end = HeadEnd(pending)) < 0)
                {
                    var read = await fromClient.ReadAsync(buffer, _stop.Token);
                    if (read == 0) return;
                    pending.AddRange(buffer.AsSpan(0, read));
                }
                var head = System.Text.Encoding.ASCII.GetString(pending.GetRange(0, end).ToArray());
                var lines = head.Split("\r\n");
                var parts = lines[0].Split(' ');
                var length = lines.Select(l => l.Split(':', 2)).Where(kv => kv.Length == 2 && kv[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .Select(kv => long.Parse(kv[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
                var total = end + 4 + length;
                while (pending.Count < total)
                {
                    var read = await fromClient.ReadAsync(buffer, _stop.Token);
                    if (read == 0) return;
                    pending.AddRange(buffer.AsSpan(0, read));
                }
                if (parts.Length >= 2 && Catch($"{parts[0]} {parts[1]}", FaultKind.Reset) is not null)
                {
                    _requests.Enqueue(new ProxiedRequest(_clock.Elapsed, parts[0], parts[1], 0, FaultKind.Reset));
                    client.LingerState = new LingerOption(true, 0);
                    client.Close();
                    return;
                }
                await toInner.WriteAsync(pending.GetRange(0, (int)total).ToArray(), _stop.Token);
                pending.RemoveRange(0, (int)total);
            }
        }
        catch (Exception)
        {
            // The client or the inner listener went away.
        }
        finally
        {
            client.Dispose();
        }
    }

    private static int HeadEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') return i;
        return -1;
    }

    /// <summary>The proxy's port.</summary>
    public int Port { get; }

    /// <summary>The proxy's address, <c>127.0.0.1:PORT</c> (or the address it was started on).</summary>
    public string Host => $"{_address}:{Port}";

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

    /// <summary>Called with every request once it is answered (from the proxy's threads); null for none.</summary>
    public Action<ProxiedRequest>? Seen { get; set; }

    /// <summary>Adds a fault; rules are tried in the order added, and the first matching rule with requests left applies.</summary>
    public FaultProxy Add(FaultRule rule)
    {
        lock (_rules) _rules.Add(rule);
        return this;
    }

    /// <summary>Every request seen so far, in arrival order.</summary>
    public IReadOnlyList<ProxiedRequest> Requests => _requests.Items.OrderBy(r => r.At).ToList();

    /// <summary>The requests seen, passing each to <see cref="Seen"/>.</summary>
    private sealed class RequestLog
    {
        public readonly ConcurrentQueue<ProxiedRequest> Items = new();
        public FaultProxy? Owner;

        public void Enqueue(ProxiedRequest request)
        {
            Items.Enqueue(request);
            Owner?.Seen?.Invoke(request);
        }
    }

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

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private FaultRule? Catch(string line, FaultKind? only = null)
    {
        lock (_rules)
        {
            foreach (var rule in _rules)
                if (rule.Left > 0 && (only is null ? rule.Kind != FaultKind.Reset : rule.Kind == only) && rule.Matcher.IsMatch(line))
                {
                    rule.Left--;
                    return rule;
                }
        }
        return null;
    }

    private bool OverQuota() => Quota is { } quota && !quota.Take();

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

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var at = _clock.Elapsed;
        var path = request.Url!.PathAndQuery;
        try
        {
            var body = new MemoryStream();
            await request.InputStream.CopyToAsync(body);
            var rule = Catch($"{request.HttpMethod} {path}");
            if (rule is null && OverQuota()) rule = new FaultRule("", FaultKind.OverQuota, 1, TimeSpan.FromSeconds(1));
            switch (rule?.Kind)
            {
                case FaultKind.TooManyRequests or FaultKind.OverQuota or FaultKind.ServiceUnavailable or FaultKind.InternalServerError:
                    var status = rule.Kind switch
                    {
                        FaultKind.TooManyRequests or FaultKind.OverQuota => 429,
                        FaultKind.ServiceUnavailable => 503,
                        _ => 500,
                    };
                    _requests.Enqueue(new ProxiedRequest(at, request.HttpMethod, path, status, rule.Kind));
                    response.StatusCode = status;
                    if (rule.RetryAfter is { } after)
                        response.AddHeader("Retry-After", rule.RetryAfterAsDate
                            ? DateTimeOffset.UtcNow.Add(after).ToString("r", CultureInfo.InvariantCulture)
                            : ((int)after.TotalSeconds).ToString(CultureInfo.InvariantCulture));
                    var error = """{"errors":[{"code":"TOOMANYREQUESTS","message":"injected by the fault proxy"}]}"""u8.ToArray();
                    response.ContentType = "application/json";
                    response.ContentLength64 = error.Length;
                    await response.OutputStream.WriteAsync(error);
                    response.Close();
                    return;
            }
            using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), $"http://{_target}{path}");
            if (body.Length > 0 || request.HttpMethod is "PUT" or "PATCH" or "POST")
                forward.Content = new ByteArrayContent(body.ToArray());
            foreach (var name in request.Headers.AllKeys)
            {
                if (name is null or "Host" or "Content-Length" or "Connection" or "Transfer-Encoding") continue;
                var value = request.Headers[name]!;
                if (!forward.Headers.TryAddWithoutValidation(name, value)) forward.Content?.Headers.TryAddWithoutValidation(name, value);
            }
            forward.Headers.Host = Host;
            using var answer = await _upstream.SendAsync(forward, _stop.Token);
            var bytes = await answer.Content.ReadAsByteArrayAsync(_stop.Token);
            var stall = rule?.Kind == FaultKind.StallBody && request.HttpMethod != "HEAD" && bytes.Length > 1;
            _requests.Enqueue(new ProxiedRequest(at, request.HttpMethod, path, stall ? 0 : (int)answer.StatusCode, stall ? FaultKind.StallBody : null));
            response.StatusCode = (int)answer.StatusCode;
            foreach (var header in answer.Headers.Concat(answer.Content.Headers))
            {
                if (header.Key is "Transfer-Encoding" or "Content-Length" or "Connection" or "Keep-Alive") continue;
                foreach (var value in header.Value) response.AddHeader(header.Key, value);
            }
            if (request.HttpMethod == "HEAD")
            {
                if (answer.Content.Headers.ContentLength is { } length) response.ContentLength64 = length;
                response.Close();
                return;
            }
            response.ContentLength64 = bytes.Length;
            if (stall)
            {
                await response.OutputStream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                await response.OutputStream.FlushAsync();
                await Task.Delay(rule!.Stall ?? TimeSpan.FromSeconds(30), _stop.Token);
                response.Abort();
                return;
            }
            await response.OutputStream.WriteAsync(bytes);
            response.Close();
        }
        catch (Exception)
        {
            try
            {
                response.Abort();
            }
            catch (ObjectDisposedException)
            {
                // Already closed.
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _front.Stop();
        _listener.Close();
        _upstream.Dispose();
    }
}
