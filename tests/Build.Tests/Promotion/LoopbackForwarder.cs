using System.Net;
using System.Net.Sockets;

namespace Build.Tests.Promotion;

/// <summary>
/// A TCP forwarder on 127.0.0.1 (a port of its own) to a registry's loopback port: each accepted connection gets a
/// connection of its own to the registry; the registry's bytes go back untouched, the client's bytes pass through
/// <see cref="ForwardRequestsAsync"/>, where a subclass watches them (records request lines, kills a process at the Nth
/// request). A connection ends when either direction ends; <see cref="Dispose"/> stops accepting and ends every copy.
/// </summary>
internal abstract class LoopbackForwarder : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;

    /// <summary>Starts listening and forwarding to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    protected LoopbackForwarder(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    /// <summary>Cancelled by <see cref="Dispose"/>: copies stop at their next read or write.</summary>
    protected CancellationTokenSource Stop { get; } = new();

    /// <summary>The forwarder's own port.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The forwarder's address, <c>127.0.0.1:PORT</c>: name it in manifests instead of the registry's.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>Copies the client's bytes (<paramref name="from"/>) to the registry (<paramref name="to"/>) until the client
    /// stops sending or the subclass decides to stop.</summary>
    protected abstract Task ForwardRequestsAsync(NetworkStream from, NetworkStream to, CancellationToken cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptAsync()
    {
        while (!Stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(Stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => PumpAsync(client));
        }
    }

    private async Task PumpAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _target);
                var toRegistry = ForwardRequestsAsync(client.GetStream(), upstream.GetStream(), Stop.Token);
                var toClient = upstream.GetStream().CopyToAsync(client.GetStream(), Stop.Token);
                await Task.WhenAny(toRegistry, toClient);
            }
            catch (Exception)
            {
                // A connection the client or the registry dropped (or Dispose cut) ends here; the client sees it closed.
            }
        }
    }
}
