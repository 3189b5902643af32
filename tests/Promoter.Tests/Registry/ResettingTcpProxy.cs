using System.Net;
using System.Net.Sockets;

namespace Promoter.Tests.Registry;

/// <summary>
/// A TCP forwarder in front of a real registry that resets (RST, linger 0) the first <c>resets</c> connections after
/// reading their request, and pipes every later connection to the registry unchanged.
/// </summary>
internal sealed class ResettingTcpProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private int _resetsLeft;

    public ResettingTcpProxy(string targetHost, int resets)
    {
        var colon = targetHost.LastIndexOf(':');
        _targetHost = targetHost[..colon];
        _targetPort = int.Parse(targetHost[(colon + 1)..]);
        _resetsLeft = resets;
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public string Host => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>How many connections were reset.</summary>
    public int Resets { get; private set; }

    private async Task LoopAsync()
    {
        while (true)
        {
            Socket client;
            try { client = await _listener.AcceptSocketAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(Socket client)
    {
        using (client)
        {
            if (Interlocked.Decrement(ref _resetsLeft) >= 0)
            {
                await client.ReceiveAsync(new byte[4096]);
                Resets++;
                client.LingerState = new LingerOption(true, 0);
                client.Close();
                return;
            }
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(_targetHost, _targetPort);
            await using var a = new NetworkStream(client, ownsSocket: false);
            await using var b = upstream.GetStream();
            var one = a.CopyToAsync(b);
            var other = b.CopyToAsync(a);
            await Task.WhenAny(one, other);
        }
    }

    public void Dispose() => _listener.Stop();
}
