using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Promoter.Tests.Registry;

/// <summary>
/// A tiny HTTP forwarder in front of a real registry: it records every request (method, path and query, Content-Range)
/// and can answer a number of matching requests with a failure status instead of forwarding them. The Host header is
/// kept as the proxy's own, so the registry's Location headers point back through the proxy.
/// </summary>
internal sealed class ForwardingProxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly string _target;
    private readonly CancellationTokenSource _stop = new();
    private int _failuresLeft;
    private readonly Func<HttpListenerRequest, bool> _failWhen;
    private readonly HttpStatusCode _failStatus;
    private readonly string? _failBody;

    public ForwardingProxy(string targetHost, int failures = 0, HttpStatusCode failStatus = HttpStatusCode.ServiceUnavailable,
        Func<HttpListenerRequest, bool>? failWhen = null, string? failBody = null)
    {
        _failBody = failBody;
        _target = targetHost;
        _failuresLeft = failures;
        _failStatus = failStatus;
        _failWhen = failWhen ?? (_ => true);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>Every request seen: "METHOD /path?query [Content-Range]", the status answered, and the scheme of the
    /// Authorization header it carried (<c>Basic</c>, <c>Bearer</c>; null for none).</summary>
    public ConcurrentQueue<(string Method, string PathAndQuery, string? ContentRange, int Status, string? AuthScheme)> Requests { get; } = new();

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (HttpListenerException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            if (_failWhen(request) && Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                Requests.Enqueue((request.HttpMethod, request.Url!.PathAndQuery, request.Headers["Content-Range"], (int)_failStatus, Scheme(request)));
                response.StatusCode = (int)_failStatus;
                if (_failBody is not null)
                {
                    var failure = System.Text.Encoding.UTF8.GetBytes(_failBody);
                    response.ContentType = "application/json";
                    response.ContentLength64 = failure.Length;
                    await response.OutputStream.WriteAsync(failure);
                }
                response.Close();
                return;
            }
            using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), $"http://{_target}{request.Url!.PathAndQuery}");
            var body = new MemoryStream();
            await request.InputStream.CopyToAsync(body);
            if (body.Length > 0 || request.HttpMethod is "PUT" or "PATCH" or "POST")
                forward.Content = new ByteArrayContent(body.ToArray());
            foreach (var name in request.Headers.AllKeys)
            {
                if (name is null || name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) continue;
                var value = request.Headers[name]!;
                if (!forward.Headers.TryAddWithoutValidation(name, value))
                    forward.Content?.Headers.TryAddWithoutValidation(name, value);
            }
            forward.Headers.Host = Host;
            using var answer = await _upstream.SendAsync(forward);
            Requests.Enqueue((request.HttpMethod, request.Url.PathAndQuery, request.Headers["Content-Range"], (int)answer.StatusCode, Scheme(request)));
            response.StatusCode = (int)answer.StatusCode;
            foreach (var header in answer.Headers.Concat(answer.Content.Headers))
            {
                if (header.Key is "Transfer-Encoding" or "Content-Length" or "Connection") continue;
                foreach (var value in header.Value) response.AddHeader(header.Key, value);
            }
            var bytes = await answer.Content.ReadAsByteArrayAsync();
            if (request.HttpMethod == "HEAD")
            {
                if (answer.Content.Headers.ContentLength is { } length) response.ContentLength64 = length;
            }
            else
            {
                response.ContentLength64 = bytes.Length;
                await response.OutputStream.WriteAsync(bytes);
            }
            response.Close();
        }
        catch (Exception)
        {
            try { response.Abort(); } catch (ObjectDisposedException) { }
        }
    }

    private static string? Scheme(HttpListenerRequest request) => request.Headers["Authorization"]?.Split(' ')[0];

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _upstream.Dispose();
    }
}
