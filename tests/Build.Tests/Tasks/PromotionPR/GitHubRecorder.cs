using System.Net;
using System.Text;

namespace Build.Tests.Tasks.PromotionPR;

/// <summary>
/// The only stand-in of these tests: a loopback HTTP endpoint (HttpListener) where Octokit's requests go instead of
/// GitHub. It records each request (method, path, body, whether an Authorization header came and with what) and answers
/// a pull-request creation and a reviewers request with 201 and a pull request of number 7, anything else with 404.
/// </summary>
internal sealed class GitHubRecorder : IDisposable
{
    public sealed record Request(string Method, string Path, string Body, string? Authorization);

    private readonly HttpListener _listener = new();
    private readonly List<Request> _requests = [];
    private readonly Task _loop;

    public GitHubRecorder()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    /// <summary>The API address to give <c>--github-api-url</c>.</summary>
    public string Url => $"http://127.0.0.1:{Port}/";

    public IReadOnlyList<Request> Requests { get { lock (_requests) return _requests.ToList(); } }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Url!.AbsolutePath;
            lock (_requests) _requests.Add(new Request(context.Request.HttpMethod, path, body, context.Request.Headers["Authorization"]));
            var known = context.Request.HttpMethod == "POST" && (path.EndsWith("/pulls", StringComparison.Ordinal) || path.EndsWith("/requested_reviewers", StringComparison.Ordinal));
            var answer = known
                ? $$"""{"id": 1, "number": 7, "state": "open", "title": "recorded", "html_url": "{{Url}}kubernetes/k8s.io/pull/7", "url": "{{Url}}api/v3/repos/kubernetes/k8s.io/pulls/7"}"""
                : """{"message": "Not Found"}""";
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = known ? 201 : 404;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
