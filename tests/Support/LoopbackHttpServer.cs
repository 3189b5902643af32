using System.Globalization;
using System.Net;
using System.Text;

namespace Promoter.Tests.Support;

/// <summary>One request a <see cref="LoopbackHttpServer"/> read: method, target (path and query), headers and body.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Target">The path and query, as sent.</param>
/// <param name="Head">The request's head.</param>
/// <param name="Body">The body (chunk framing removed), empty for none.</param>
public sealed record LoopbackRequest(string Method, string Target, HttpHead Head, byte[] Body)
{
    /// <summary>The path, without the query.</summary>
    public string Path => Target.Split('?')[0];

    /// <summary>The first value of the header <paramref name="name"/>, or null.</summary>
    public string? Header(string name) => Head.Header(name);

    /// <summary>Every value of the query parameter <paramref name="name"/>, form-decoded (<c>+</c> is a space), in order.</summary>
    public IReadOnlyList<string> Query(string name) =>
        Target.Contains('?')
            ? Target[(Target.IndexOf('?') + 1)..].Split('&').Select(p => p.Split('=', 2))
                .Where(kv => WebUtility.UrlDecode(kv[0]) == name).Select(kv => WebUtility.UrlDecode(kv.Length > 1 ? kv[1] : "")).ToList()
            : [];
}

/// <summary>The answer a <see cref="LoopbackHttpServer"/> sends to a request.</summary>
/// <param name="Status">The status code (sent with its standard reason phrase).</param>
/// <param name="Body">The body; empty for none.</param>
/// <param name="ContentType">The <c>Content-Type</c>, or null for none.</param>
public sealed record LoopbackAnswer(int Status, byte[] Body, string? ContentType = null)
{
    /// <summary>An answer with a JSON body.</summary>
    public static LoopbackAnswer Json(int status, string json) => new(status, Encoding.UTF8.GetBytes(json), "application/json");

    /// <summary>An answer with no body.</summary>
    public static LoopbackAnswer Empty(int status) => new(status, []);
}

/// <summary>
/// A loopback HTTP/1.1 server for the tests' stand-ins that are not proxies (a token server, a metadata server): each
/// request (head and body read whole) goes to <see cref="Answer"/>, whose answer is sent with its Content-Length on the
/// kept-alive connection. A request <see cref="Answer"/> throws on gets a 500.
/// </summary>
public abstract class LoopbackHttpServer : LoopbackListener
{
    /// <summary>Starts listening on a free port of 127.0.0.1.</summary>
    protected LoopbackHttpServer()
    {
    }

    /// <summary>The server's base address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address => new($"http://{Host}/");

    /// <summary>Answers one request (from the server's threads).</summary>
    protected abstract LoopbackAnswer Answer(LoopbackRequest request);

    /// <inheritdoc />
    protected sealed override async Task ServeAsync(HttpConnection connection)
    {
        while (await connection.ReadHeadAsync(Stopping) is { } head)
        {
            var body = await connection.ReadBodyAsync(head.RequestBody, Stopping);
            LoopbackAnswer answer;
            try
            {
                answer = Answer(new LoopbackRequest(head.Method, head.Target, head, body));
            }
            catch (Exception e)
            {
                answer = new LoopbackAnswer(500, Encoding.UTF8.GetBytes(e.Message), "text/plain");
            }
            var headers = new List<(string, string)> { ("Content-Length", answer.Body.Length.ToString(CultureInfo.InvariantCulture)) };
            if (answer.ContentType is { } type) headers.Add(("Content-Type", type));
            await connection.WriteAsync(HttpHead.Answer(answer.Status, [.. headers]), Stopping);
            await connection.WriteAsync(answer.Body, Stopping);
            if (head.Closes) return;
        }
    }
}
