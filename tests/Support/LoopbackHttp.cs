using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Promoter.Tests.Support;

/// <summary>
/// The listener plumbing every loopback server of the tests shares: a TCP listener on a loopback address (port 0 binds a
/// free port, with no probe-then-bind race) whose accepted connections each go to <see cref="ServeAsync"/> as an
/// <see cref="HttpConnection"/>; <see cref="Dispose"/> stops accepting and closes every connection still open.
/// </summary>
/// <remarks>
/// HTTP/1.1 is spoken on the bytes (<see cref="HttpConnection"/>), not through an HTTP server API, because the tests need
/// what such an API cannot do: reset a connection (RST), stop in the middle of a body, hold a request unanswered, or not
/// read its body at all.
/// </remarks>
public abstract class LoopbackListener : IDisposable
{
    private readonly TcpListener _listener;
    private readonly IPAddress _address;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<HttpConnection> _open = [];
    private int _connections;

    /// <summary>Starts listening on <paramref name="port"/> (0: a free one) of <paramref name="address"/> (default
    /// 127.0.0.1; any 127.x.y.z on Linux).</summary>
    protected LoopbackListener(IPAddress? address = null, int port = 0)
    {
        _address = address ?? IPAddress.Loopback;
        _listener = new TcpListener(_address, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptAsync);
    }

    /// <summary>The port listened on.</summary>
    public int Port { get; }

    /// <summary>The listener's <c>ADDRESS:PORT</c>, e.g. <c>127.0.0.1:41234</c>.</summary>
    public string Host => $"{_address}:{Port}";

    /// <summary>How many connections were accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Cancelled by <see cref="Dispose"/>: every wait of a connection ends with it.</summary>
    protected CancellationToken Stopping => _stop.Token;

    /// <summary>Serves one accepted connection until it ends; the connection is closed when this returns or throws.</summary>
    protected abstract Task ServeAsync(HttpConnection connection);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref _connections);
            var connection = new HttpConnection(socket);
            lock (_open)
            {
                if (_stop.IsCancellationRequested)
                {
                    connection.Dispose();
                    return;
                }
                _open.Add(connection);
            }
            _ = Task.Run(() => RunAsync(connection));
        }
    }

    private async Task RunAsync(HttpConnection connection)
    {
        try
        {
            await ServeAsync(connection);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client went away, or the listener stops.
        }
        finally
        {
            lock (_open) _open.Remove(connection);
            connection.Dispose();
        }
    }

    /// <summary>Stops accepting and closes every open connection.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_open)
        {
            foreach (var connection in _open) connection.Dispose();
            _open.Clear();
        }
        Disposed();
        GC.SuppressFinalize(this);
    }

    /// <summary>Called at the end of <see cref="Dispose"/>, for what a subclass holds besides connections.</summary>
    protected virtual void Disposed()
    {
    }
}

/// <summary>How an HTTP/1.1 message's body is delimited (RFC 9112 section 6).</summary>
public enum HttpBodyKind
{
    /// <summary>No body.</summary>
    None,

    /// <summary><c>Content-Length</c> bytes.</summary>
    Length,

    /// <summary><c>Transfer-Encoding: chunked</c>.</summary>
    Chunked,

    /// <summary>An answer's body that ends when the connection closes.</summary>
    UntilClose,
}

/// <summary>
/// One HTTP/1.1 message head (a request line or status line and its header lines) as it came off a connection, with its
/// bytes so that a proxy forwards it unchanged.
/// </summary>
public sealed partial class HttpHead
{
    private HttpHead(byte[] raw, string startLine, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        Raw = raw;
        StartLine = startLine;
        Headers = headers;
    }

    /// <summary>The head's bytes, blank line included.</summary>
    public byte[] Raw { get; }

    /// <summary>The first line: <c>GET /v2/ HTTP/1.1</c> or <c>HTTP/1.1 200 OK</c>.</summary>
    public string StartLine { get; }

    /// <summary>The header fields in the order sent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>A request's method.</summary>
    public string Method => StartLine.Split(' ')[0];

    /// <summary>A request's target (path and query).</summary>
    public string Target => StartLine.Split(' ') is { Length: >= 2 } parts ? parts[1] : "";

    /// <summary>An answer's status code.</summary>
    /// <exception cref="FormatException">The start line is not a status line.</exception>
    public int Status => int.Parse(StartLine.Split(' ')[1], CultureInfo.InvariantCulture);

    /// <summary>The first value of the header <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Whether the sender closes the connection after this message (<c>Connection: close</c>).</summary>
    public bool Closes => Header("Connection")?.Contains("close", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>How this request's body is delimited.</summary>
    public (HttpBodyKind Kind, long Length) RequestBody => Chunked ? (HttpBodyKind.Chunked, 0)
        : ContentLength is { } length and > 0 ? (HttpBodyKind.Length, length) : (HttpBodyKind.None, 0);

    /// <summary>How this answer's body is delimited, the request's method being <paramref name="method"/>.</summary>
    public (HttpBodyKind Kind, long Length) AnswerBody(string method) =>
        method == "HEAD" || Status is < 200 or 204 or 304 ? (HttpBodyKind.None, 0)
        : Chunked ? (HttpBodyKind.Chunked, 0)
        : ContentLength is { } length ? (length > 0 ? (HttpBodyKind.Length, length) : (HttpBodyKind.None, 0))
        : (HttpBodyKind.UntilClose, 0);

    private bool Chunked => Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    private long? ContentLength => Header("Content-Length") is { } text ? long.Parse(text.Trim(), CultureInfo.InvariantCulture) : null;

    /// <summary>Parses a head's bytes (ending with the blank line).</summary>
    public static HttpHead Parse(byte[] raw)
    {
        var lines = Encoding.Latin1.GetString(raw).Split("\r\n");
        var headers = lines.Skip(1).Where(l => l.Contains(':'))
            .Select(l => new KeyValuePair<string, string>(l[..l.IndexOf(':')].Trim(), l[(l.IndexOf(':') + 1)..].Trim())).ToList();
        return new HttpHead(raw, lines[0], headers);
    }

    /// <summary>An answer head with status <paramref name="status"/> and its standard reason phrase, and the given header
    /// lines (no Content-Length unless given).</summary>
    public static byte[] Answer(int status, params (string Name, string Value)[] headers) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {ReasonPhrase(status)}\r\n" + string.Concat(headers.Select(h => $"{h.Name}: {h.Value}\r\n")) + "\r\n");

    /// <summary>The standard reason phrase of <paramref name="status"/> (<c>Too Many Requests</c>), from <see cref="HttpStatusCode"/>'s names.</summary>
    public static string ReasonPhrase(int status) =>
        Enum.IsDefined((HttpStatusCode)status) ? WordStart().Replace(((HttpStatusCode)status).ToString(), " ") : "Unknown";

    [GeneratedRegex("(?<=[a-z])(?=[A-Z])")]
    private static partial Regex WordStart();
}

/// <summary>
/// One TCP connection speaking HTTP/1.1 on its bytes: reads message heads and bodies (through a buffer, so bytes read past
/// a head stay for its body), copies bodies to another connection unchanged, writes raw bytes, and closes with a FIN
/// (<see cref="Dispose"/>) or an RST (<see cref="Reset"/>).
/// </summary>
public sealed class HttpConnection : IDisposable
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>Wraps a connected socket, which this connection then owns.</summary>
    /// <remarks>Nagle's algorithm is off: a head and its body go out as separate writes, and with it on the body would wait
    /// for the peer's delayed ACK of the head (tens of milliseconds per request).</remarks>
    public HttpConnection(Socket socket)
    {
        socket.NoDelay = true;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Connects to <paramref name="host"/> (<c>host:port</c>).</summary>
    /// <exception cref="SocketException">The connection was refused.</exception>
    public static async Task<HttpConnection> ConnectAsync(string host, CancellationToken cancellationToken)
    {
        var colon = host.LastIndexOf(':');
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host[..colon], int.Parse(host[(colon + 1)..], CultureInfo.InvariantCulture), cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new HttpConnection(socket);
    }

    /// <summary>Reads the next message head; null when the peer closed the connection before its first byte.</summary>
    /// <exception cref="IOException">The connection closed inside a head.</exception>
    public async Task<HttpHead?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var searched = 0;
        while (true)
        {
            var end = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf(HeadEnd);
            if (end >= 0)
            {
                var length = searched + end + HeadEnd.Length;
                var raw = _buffer.AsSpan(_start, length).ToArray();
                _start += length;
                return HttpHead.Parse(raw);
            }
            searched = Math.Max(0, _end - _start - (HeadEnd.Length - 1));
            if (await FillAsync(cancellationToken)) continue;
            if (_end == _start) return null;
            throw new IOException("the connection closed inside a message head");
        }
    }

    /// <summary>Copies a body delimited as <paramref name="body"/> says to <paramref name="to"/> unchanged (chunk framing
    /// included), or reads and drops it when <paramref name="to"/> is null; <paramref name="limit"/> stops after that many
    /// bytes (of a <see cref="HttpBodyKind.Length"/> body). False when <paramref name="to"/> stopped taking bytes.</summary>
    /// <exception cref="IOException">This connection closed inside the body.</exception>
    public async Task<bool> CopyBodyAsync((HttpBodyKind Kind, long Length) body, HttpConnection? to, CancellationToken cancellationToken, long? limit = null)
    {
        var sink = new Sink(to);
        await CopyAsync(body, sink, cancellationToken, limit);
        return sink.Taking;
    }

    private async Task CopyAsync((HttpBodyKind Kind, long Length) body, Sink sink, CancellationToken cancellationToken, long? limit = null)
    {
        switch (body.Kind)
        {
            case HttpBodyKind.Length:
                await CopyExactAsync(Math.Min(body.Length, limit ?? long.MaxValue), sink, cancellationToken);
                break;
            case HttpBodyKind.Chunked:
                while (true)
                {
                    var line = await ReadLineAsync(sink, cancellationToken);
                    var size = long.Parse(line.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    if (size == 0) break;
                    await CopyExactAsync(size + 2, sink, cancellationToken);
                }
                while ((await ReadLineAsync(sink, cancellationToken)).Length > 0)
                {
                    // Trailer fields, relayed as they are.
                }
                break;
            case HttpBodyKind.UntilClose:
                while (_end > _start || await FillAsync(cancellationToken))
                {
                    await sink.WriteAsync(_buffer.AsMemory(_start, _end - _start), cancellationToken);
                    _start = _end;
                }
                break;
        }
    }

    /// <summary>Reads a body delimited as <paramref name="body"/> says into memory (chunk framing removed).</summary>
    public async Task<byte[]> ReadBodyAsync((HttpBodyKind Kind, long Length) body, CancellationToken cancellationToken)
    {
        if (body.Kind != HttpBodyKind.Chunked)
        {
            var kept = new MemoryStream();
            await CopyAsync(body, new Sink(null) { Keep = kept }, cancellationToken);
            return kept.ToArray();
        }
        var content = new MemoryStream();
        while (true)
        {
            var size = long.Parse((await ReadLineAsync(new Sink(null), cancellationToken)).Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0) break;
            var chunk = new Sink(null) { Keep = content };
            await CopyExactAsync(size, chunk, cancellationToken);
            await ReadLineAsync(new Sink(null), cancellationToken);
        }
        while ((await ReadLineAsync(new Sink(null), cancellationToken)).Length > 0)
        {
            // Trailer fields, dropped.
        }
        return content.ToArray();
    }

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => _stream.WriteAsync(bytes, cancellationToken);

    /// <summary>Closes the connection with an RST (linger 0) instead of a FIN.</summary>
    public void Reset()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
        _socket.Dispose(); // not through the stream, whose dispose shuts the socket down (a FIN) before closing it
        Dispose();
    }

    /// <summary>Closes the connection (FIN).</summary>
    public void Dispose() => _stream.Dispose();

    /// <summary>
    /// Reads ahead while the connection is idle: completes true when the peer sent bytes (they stay for the next read),
    /// false when it closed the connection. Calling it again before the next read returns the same task.
    /// </summary>
    /// <remarks>A proxy watches its idle registry connection with it: a registry that closes a kept-alive connection (it
    /// crashed, or dropped it) is seen at once, and the proxy closes its client's connection as the registry's own socket
    /// would have, instead of failing the client's next request on it.</remarks>
    public Task<bool> ReadAheadAsync(CancellationToken cancellationToken) => _readAhead ??= FillFromStreamAsync(cancellationToken);

    private Task<bool>? _readAhead;

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_readAhead is { } pending)
        {
            _readAhead = null;
            return await pending;
        }
        return await FillFromStreamAsync(cancellationToken);
    }

    private async Task<bool> FillFromStreamAsync(CancellationToken cancellationToken)
    {
        if (_start > 0 && _start == _end) _start = _end = 0;
        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                (_end, _start) = (_end - _start, 0);
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read;
        return read > 0;
    }

    private async Task CopyExactAsync(long count, Sink sink, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_end == _start && !await FillAsync(cancellationToken)) throw new IOException("the connection closed inside a body");
            var take = (int)Math.Min(count, _end - _start);
            await sink.WriteAsync(_buffer.AsMemory(_start, take), cancellationToken);
            _start += take;
            count -= take;
        }
    }

    /// <summary>Reads one CRLF-terminated line, passing its bytes (CRLF included) to <paramref name="sink"/>; returns it without the CRLF.</summary>
    private async Task<string> ReadLineAsync(Sink sink, CancellationToken cancellationToken)
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, end);
                await sink.WriteAsync(_buffer.AsMemory(_start, end + 2), cancellationToken);
                _start += end + 2;
                return line;
            }
            if (!await FillAsync(cancellationToken)) throw new IOException("the connection closed inside a chunked body");
        }
    }

    /// <summary>Where copied body bytes go: another connection (until it stops taking them), memory, or nowhere.</summary>
    private sealed class Sink(HttpConnection? to)
    {
        public bool Taking { get; private set; } = true;
        public MemoryStream? Keep { get; init; }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            Keep?.Write(bytes.Span);
            if (to is null || !Taking) return;
            try
            {
                await to._stream.WriteAsync(bytes, cancellationToken);
            }
            catch (IOException)
            {
                Taking = false; // The other side closed: the rest of the body is read and dropped.
            }
        }
    }
}
