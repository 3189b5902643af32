using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Promoter.Tests.Support;

/// <summary>
/// A real TCP listener on loopback that speaks just enough HTTP/1.1 to play a registry that misbehaves in time: the
/// script decides, per request, to answer, to answer part of the body and then fall silent, to answer in slow trickles,
/// or to say nothing at all (optionally without reading the request body, so a client's upload blocks). A silent
/// connection is held open until the server is disposed.
/// </summary>
public sealed class StallingServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Request, Reply> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private int _connections;

    /// <summary>One request as the server read it.</summary>
    public sealed record Request(string Method, string Path, IReadOnlyDictionary<string, string> Headers);

    /// <summary>What the server does with a request.</summary>
    public abstract record Reply;

    /// <summary>Writes <paramref name="Bytes"/>; then, with <paramref name="ThenStall"/>, says nothing more on that connection.</summary>
    public sealed record Send(byte[] Bytes, bool ThenStall = false) : Reply;

    /// <summary>Writes <paramref name="Bytes"/> in pieces of <paramref name="Piece"/> bytes, waiting <paramref name="Pause"/> before each.</summary>
    public sealed record Trickle(byte[] Bytes, int Piece, TimeSpan Pause) : Reply;

    /// <summary>Says nothing; with <paramref name="ReadBody"/> false it does not even read the request body.</summary>
    public sealed record Silence(bool ReadBody = true) : Reply;

    public StallingServer(Func<Request, Reply> script)
    {
        _script = script;
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    /// <summary>The address, e.g. <c>127.0.0.1:41234</c>.</summary>
    public string Host => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>How many connections were accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>An HTTP answer head with the given status and headers (Content-Length as given, or none).</summary>
    public static byte[] Head(string status, params (string Name, string Value)[] headers) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\n" + string.Concat(headers.Select(h => $"{h.Name}: {h.Value}\r\n")) + "\r\n");

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref _connections);
            lock (_sockets) _sockets.Add(socket);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var pending = new List<byte>();
            var buffer = new byte[65536];
            while (!_stop.IsCancellationRequested)
            {
                int end;
                while ((end = HeadEnd(pending)) < 0)
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0) return;
                    pending.AddRange(buffer.AsSpan(0, read));
                }
                var lines = Encoding.ASCII.GetString(pending.GetRange(0, end).ToArray()).Split("\r\n");
                pending.RemoveRange(0, end + 4);
                var parts = lines[0].Split(' ');
                var headers = lines.Skip(1).Where(l => l.Contains(':'))
                    .ToDictionary(l => l[..l.IndexOf(':')].Trim(), l => l[(l.IndexOf(':') + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
                var reply = _script(new Request(parts[0], parts[1], headers));
                if (reply is Silence { ReadBody: false })
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }
                var length = headers.TryGetValue("Content-Length", out var text) ? long.Parse(text) : 0;
                while (pending.Count < length)
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0) return;
                    pending.AddRange(buffer.AsSpan(0, read));
                }
                pending.RemoveRange(0, (int)length);
                switch (reply)
                {
                    case Silence:
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    case Send send:
                        await stream.WriteAsync(send.Bytes, _stop.Token);
                        if (send.ThenStall)
                        {
                            await Task.Delay(Timeout.Infinite, _stop.Token);
                            return;
                        }
                        break;
                    case Trickle trickle:
                        for (var offset = 0; offset < trickle.Bytes.Length; offset += trickle.Piece)
                        {
                            await Task.Delay(trickle.Pause, _stop.Token);
                            await stream.WriteAsync(trickle.Bytes.AsMemory(offset, Math.Min(trickle.Piece, trickle.Bytes.Length - offset)), _stop.Token);
                        }
                        break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client gave up or the server stops.
        }
    }

    private static int HeadEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') return i;
        return -1;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets)
            foreach (var socket in _sockets) socket.Dispose();
    }
}
