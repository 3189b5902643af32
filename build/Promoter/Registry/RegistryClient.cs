using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Polly;
using Promoter.Oci;
using Polly.Retry;

namespace Promoter.Registry;

/// <summary>
/// A client of one registry host speaking the OCI Distribution API v2 (OCI distribution-spec; Docker registry HTTP
/// API V2). It authenticates anonymously, with HTTP Basic auth or with the bearer-token challenge flow (tokens cached
/// per scope), retries 429/5xx answers and reset connections with exponential backoff (Polly), and checks the sha256
/// digest of every manifest and blob byte it moves. No request waits forever: connecting is bounded by
/// <see cref="RegistryClientOptions.ConnectTimeout"/>, and every wait for the registry (for the answer, for the next bytes
/// of a body, for it to take the request body) by <see cref="RegistryClientOptions.ReadTimeout"/>. Every failure is a
/// <see cref="RegistryException"/>.
/// Thread-safe; dispose it to close its connections.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    private readonly HttpClient _http;
    private readonly RegistryClientOptions _options;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly AuthState _auth;
    private int _tokenFetches;

    /// <summary>Creates a client for <paramref name="host"/>.</summary>
    /// <param name="host">Host and optional port, e.g. <c>127.0.0.1:5000</c> or <c>registry.k8s.io</c>. Loopback hosts
    /// (<c>127.*</c>, <c>localhost</c>, <c>[::1]</c>) use http; others use https unless <see cref="RegistryClientOptions.Insecure"/>.</param>
    /// <param name="options">Settings; null for the defaults (anonymous, 4 retries).</param>
    /// <exception cref="ArgumentException">The host is empty or holds a scheme or path.</exception>
    public RegistryClient(string host, RegistryClientOptions? options = null)
    {
        if (!RegistryHost.TryParse(host, out var parsed, out var error)) throw new ArgumentException(error, nameof(host));
        _options = options ?? new RegistryClientOptions();
        if (_options.ChunkSize <= 0) throw new ArgumentException("ChunkSize must be positive.", nameof(options));
        Host = host;
        var scheme = _options.Insecure || parsed.IsLoopback ? "http" : "https";
        BaseAddress = new Uri($"{scheme}://{host}/");
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = _options.ConnectTimeout,
        })
        { Timeout = Timeout.InfiniteTimeSpan }; // every wait is bounded by the read timeout instead (SendWatchedAsync, WatchBody)
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("promoter", "1.0"));
        _pipeline = BuildPipeline();
        _auth = new AuthState(this);
    }

    /// <summary>The registry host this client talks to, e.g. <c>127.0.0.1:5000</c>.</summary>
    public string Host { get; }

    /// <summary>The base address, <c>http(s)://host/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>True when the client holds credentials or a source to ask for them (never shows them).</summary>
    public bool HasCredential => _options.Credential is not null || _options.CredentialSource is not null;

    // The credential last obtained from the source, for messages (its ToString never shows the secret).
    private volatile RegistryCredential? _sourcedCredential;

    /// <summary>The credential: <see cref="RegistryClientOptions.Credential"/>, else the source's answer for this host.</summary>
    /// <exception cref="RegistryException">The source failed (names the registry and the source).</exception>
    private async ValueTask<RegistryCredential?> CredentialAsync(CancellationToken cancellationToken)
    {
        if (_options.Credential is { } given) return given;
        if (_options.CredentialSource is not { } source) return null;
        var found = await source.GetAsync(Host, cancellationToken);
        _sourcedCredential = found;
        return found;
    }

    /// <summary>How many bearer tokens this client fetched from token servers (for tests and measurements).</summary>
    public int TokenFetches => Volatile.Read(ref _tokenFetches);

    /// <summary>
    /// <c>GET /v2/</c>: checks that the host speaks the Distribution API v2 and that this client may use it
    /// (performing the auth challenge flow when the registry asks for one).
    /// </summary>
    /// <exception cref="RegistryException">Connection refused, no API v2, or credentials missing or refused.</exception>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Url("v2/")), RequestScope.None,
            "ping", Host, cancellationToken);
        await EnsureSuccessAsync(response, "ping", Host, cancellationToken);
    }

    /// <summary>
    /// <c>GET /v2/_catalog?n=</c>, following <c>Link: &lt;...&gt;; rel="next"</c> pages: every repository name of the
    /// registry, in the registry's (lexical) order.
    /// </summary>
    /// <param name="pageSize">The <c>n</c> of each page request (at least 1).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <exception cref="RegistryException">The registry refused or failed the listing.</exception>
    public Task<IReadOnlyList<string>> ListRepositoriesAsync(int pageSize = 100, CancellationToken cancellationToken = default) =>
        ListPagedAsync($"v2/_catalog?n={CheckPageSize(pageSize)}", "repositories", RequestScope.Catalog, "list repositories of", Host, cancellationToken);

    /// <summary>
    /// <c>GET /v2/&lt;name&gt;/tags/list?n=</c>, following <c>Link</c> pages: every tag of <paramref name="repository"/>.
    /// </summary>
    /// <param name="repository">The repository path, e.g. <c>library/foo</c>.</param>
    /// <param name="pageSize">The <c>n</c> of each page request (at least 1).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <exception cref="RegistryException">For example <c>NAME_UNKNOWN</c> (404) when the repository does not exist.</exception>
    public Task<IReadOnlyList<string>> ListTagsAsync(string repository, int pageSize = 100, CancellationToken cancellationToken = default) =>
        ListPagedAsync($"v2/{CheckRepository(repository)}/tags/list?n={CheckPageSize(pageSize)}", "tags", RequestScope.Pull(repository),
            "list tags of", $"{Host}/{repository}", cancellationToken);

    /// <summary>Reports a repair (<see cref="RegistryClientOptions.Report"/>, else <see cref="RegistryClientOptions.Log"/>).</summary>
    internal void ReportRepair(string line) => (_options.Report ?? _options.Log)?.Invoke(line);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>Describes the client (host and whether it has credentials, never the credentials themselves).</summary>
    public override string ToString() => $"registry {BaseAddress} ({(HasCredential ? "with credentials" : "anonymous")})";

    private async Task<IReadOnlyList<string>> ListPagedAsync(string firstPath, string field, RequestScope scope, string operation,
        string reference, CancellationToken cancellationToken)
    {
        var result = new List<string>();
        Uri? next = Url(firstPath);
        var seen = new HashSet<string>();
        while (next is not null)
        {
            if (!seen.Add(next.AbsoluteUri))
                throw new RegistryException($"{operation} {reference}: the registry's Link header loops back to {next}.", reference);
            var url = next;
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), scope, operation, reference, cancellationToken);
            await EnsureSuccessAsync(response, operation, reference, cancellationToken);
            var body = await ReadBodyAsync(response, operation, reference, cancellationToken);
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty(field, out var list) && list.ValueKind == JsonValueKind.Array)
                    result.AddRange(list.EnumerateArray().Select(e => e.GetString() ?? ""));
                else if (!(json.RootElement.TryGetProperty(field, out var n) && n.ValueKind == JsonValueKind.Null))
                    throw new RegistryException($"{operation} {reference}: the answer has no '{field}' array.", reference, response.StatusCode);
            }
            catch (JsonException e)
            {
                throw new RegistryException($"{operation} {reference}: the answer is not JSON ({e.Message}).", reference, response.StatusCode, inner: e);
            }
            next = NextLink(response);
        }
        return result;
    }

    /// <summary>The target of a <c>Link: &lt;url&gt;; rel="next"</c> header (RFC 8288), resolved against the base address.</summary>
    private Uri? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values)) return null;
        foreach (var header in values)
        {
            foreach (var link in header.Split(','))
            {
                var open = link.IndexOf('<');
                var close = link.IndexOf('>');
                if (open < 0 || close < open) continue;
                var parameters = link[(close + 1)..].Replace(" ", "");
                if (!parameters.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase)
                    && !parameters.Contains("rel=next", StringComparison.OrdinalIgnoreCase))
                    continue;
                return new Uri(BaseAddress, link[(open + 1)..close]);
            }
        }
        return null;
    }

    // ---- HTTP core: auth, retries, errors ----

    /// <summary>What a request needs from the token server: a repository with actions, or the catalog.</summary>
    internal readonly record struct RequestScope(string Key, IReadOnlyList<string> DefaultScopes)
    {
        public static RequestScope None => new("", []);
        public static RequestScope Catalog => new("registry:catalog:*", ["registry:catalog:*"]);
        public static RequestScope Pull(string repository) => new($"repository:{repository}:pull", [$"repository:{repository}:pull"]);
        public static RequestScope Push(string repository) => new($"repository:{repository}:pull,push", [$"repository:{repository}:pull,push"]);
        public static RequestScope Delete(string repository) => new($"repository:{repository}:delete", [$"repository:{repository}:delete"]);
        public static RequestScope Mount(string repository, string from) =>
            new($"repository:{repository}:pull,push+{from}", [$"repository:{repository}:pull,push", $"repository:{from}:pull"]);
    }

    /// <summary>
    /// Sends a request built by <paramref name="build"/> (called again for every attempt: requests are never reused),
    /// answering an auth challenge once and retrying transient failures. The caller disposes the response.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, RequestScope scope, string operation,
        string reference, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OperationKey, $"{operation} {reference}");
        try
        {
            return await _pipeline.ExecuteAsync(async ctx => await SendOnceAsync(build, scope, operation, reference, ctx.CancellationToken), context);
        }
        catch (HttpRequestException e)
        {
            throw ConnectionError(e, operation, reference);
        }
        catch (IOException e)
        {
            throw ConnectionError(e, operation, reference);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static readonly ResiliencePropertyKey<string> OperationKey = new("promoter.operation");

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> build, RequestScope scope, string operation,
        string reference, CancellationToken cancellationToken)
    {
        var request = build();
        HttpResponseMessage response;
        var discovering = await _auth.EnterAsync(cancellationToken);
        try
        {
            await _auth.AuthorizeAsync(request, scope, reference, cancellationToken);
            response = await SendWatchedAsync(request, operation, reference, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.FirstOrDefault() is { } challenge)
            {
                var parsed = AuthChallenge.Parse(challenge.Scheme, challenge.Parameter);
                if (!await _auth.AnswerChallengeAsync(parsed, scope, reference, request.Headers.Authorization, cancellationToken)) return response;
                response.Dispose();
                request = build();
                await _auth.AuthorizeAsync(request, scope, reference, cancellationToken);
                response = await SendWatchedAsync(request, operation, reference, cancellationToken);
            }
        }
        finally
        {
            if (discovering) _auth.Discovered();
        }
        return response;
    }

    /// <summary>
    /// One HTTP exchange up to the answer's headers, bounded by the timeouts: the connect timeout, and the read timeout
    /// restarted at every write of the request body (the first wait allows connect plus read, since a new connection may be
    /// opened). The body of the answer is read through <see cref="WatchBody"/>.
    /// </summary>
    /// <param name="request">The request (sent once; its content is wrapped to watch the upload's progress).</param>
    /// <param name="operation">What the request does, for messages (e.g. <c>get manifest</c>).</param>
    /// <param name="reference">What it is about, for messages.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    /// <param name="party">Who answers, for messages; default <c>registry HOST</c> (a token server names itself).</param>
    /// <exception cref="RegistryException">A timeout ran out (the message names the party, the request and the timeout).</exception>
    internal async Task<HttpResponseMessage> SendWatchedAsync(HttpRequestMessage request, string operation, string reference,
        CancellationToken cancellationToken, string? party = null)
    {
        var connect = _options.ConnectTimeout == Timeout.InfiniteTimeSpan || _options.ReadTimeout == Timeout.InfiniteTimeSpan
            ? Timeout.InfiniteTimeSpan
            : _options.ConnectTimeout + _options.ReadTimeout;
        using var timer = new IdleTimer(_options.ReadTimeout, cancellationToken, first: connect);
        if (request.Content is { } content) request.Content = new WatchedContent(content, timer);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timer.Token);
        }
        catch (Exception e) when (timer.Expired && e is OperationCanceledException or HttpRequestException or IOException)
        {
            throw new RegistryException(
                $"{operation} {reference}: {party ?? $"registry {Host}"} sent nothing for {Seconds(_options.ReadTimeout)} (read timeout): " +
                "it took the connection but neither read the request nor answered it.", reference, inner: e);
        }
        catch (OperationCanceledException e) when (e.InnerException is TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException(
                $"{operation} {reference}: {party ?? $"registry {Host}"} did not accept the connection within {Seconds(_options.ConnectTimeout)} (connect timeout).",
                reference, inner: e);
        }
    }

    /// <summary>
    /// The body of an answer with every read bounded by the read timeout: a registry that stops sending in the middle fails
    /// the read with a <see cref="RegistryException"/> naming it and the request.
    /// </summary>
    internal Stream WatchBody(Stream body, string operation, string reference, string? party = null) =>
        new IdleTimeoutStream(body, _options.ReadTimeout, e => new RegistryException(
            $"{operation} {reference}: {party ?? $"registry {Host}"} sent nothing for {Seconds(_options.ReadTimeout)} in the middle of the answer (read timeout).",
            reference, inner: e));

    /// <summary>Reads a whole answer body (at most <paramref name="maxBytes"/> bytes; the rest is left unread) through <see cref="WatchBody"/>.</summary>
    internal async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, string operation, string reference, CancellationToken cancellationToken,
        int maxBytes = int.MaxValue, string? party = null)
    {
        await using var body = WatchBody(await response.Content.ReadAsStreamAsync(cancellationToken), operation, reference, party);
        using var content = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while (content.Length < maxBytes
               && (read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, maxBytes - content.Length)), cancellationToken)) > 0)
            content.Write(buffer, 0, read);
        return content.ToArray();
    }

    private static string Seconds(TimeSpan timeout) => $"{timeout.TotalSeconds:0.###} s";

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        if (_options.MaxRetries <= 0) return ResiliencePipeline<HttpResponseMessage>.Empty;
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxRetries,
                Delay = _options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: { } e } => IsTransient(e),
                    { Result: { } r } => IsRetryableStatus(r.StatusCode),
                    _ => false,
                }),
                OnRetry = args =>
                {
                    var what = args.Outcome.Exception is { } e ? e.GetType().Name : $"HTTP {(int)args.Outcome.Result!.StatusCode}";
                    args.Outcome.Result?.Dispose();
                    var operation = args.Context.Properties.GetValue(OperationKey, "request");
                    _options.Log?.Invoke($"{operation}: {what}; retry {args.AttemptNumber + 1} of {_options.MaxRetries} in {args.RetryDelay.TotalMilliseconds:0} ms");
                    return default;
                },
            })
            .Build();
    }

    /// <summary>429 Too Many Requests and every 5xx are worth another attempt.</summary>
    internal static bool IsRetryableStatus(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>A reset or prematurely closed connection is worth another attempt; a refused one is not.</summary>
    internal static bool IsTransient(Exception e) => e switch
    {
        HttpIOException => true,
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => false,
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown } } => true,
        HttpRequestException { InnerException: IOException inner } => IsTransient(inner),
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => true,
        IOException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted } } => true,
        _ => false,
    };

    private RegistryException ConnectionError(Exception e, string operation, string reference)
    {
        var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
        var what = socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"registry {Host} refused the connection",
            SocketError.ConnectionReset => $"registry {Host} reset the connection",
            SocketError.HostNotFound or SocketError.NoData => $"registry host {Host} could not be resolved",
            SocketError.TimedOut => $"registry {Host} did not accept the connection in time",
            _ => $"could not talk to registry {Host} ({e.Message})",
        };
        return new RegistryException($"{what} ({operation} {reference}).", reference, inner: e);
    }

    /// <summary>Throws a <see cref="RegistryException"/> for any non-2xx answer, with the registry's OCI error codes.</summary>
    internal async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, string reference, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        throw await ErrorAsync(response, operation, reference, cancellationToken);
    }

    internal async Task<RegistryException> ErrorAsync(HttpResponseMessage response, string operation, string reference, CancellationToken cancellationToken)
    {
        byte[] body = [];
        try
        {
            body = await ReadBodyAsync(response, operation, reference, cancellationToken, MaxErrorBodyBytes);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or RegistryException)
        {
            // The status alone still makes a useful error.
        }
        var errors = RegistryException.ParseErrorBody(body);
        var status = (int)response.StatusCode;
        var message = $"{operation} {reference}: registry {Host} answered {status} {response.ReasonPhrase}";
        if (errors.Count > 0)
            message += ": " + string.Join("; ", errors.Select(e => e.Message.Length > 0 ? $"{e.Code} ({e.Message})" : e.Code));
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            message += (_options.Credential ?? _sourcedCredential) is not { } used
                ? $". No credentials for {Host} were found: add an 'auths' entry, a credHelpers entry or a credsStore for it to the docker config.json (docker login {Host})."
                : $". The registry refused the credentials of {used}.";
        else if (response.StatusCode == HttpStatusCode.Forbidden)
            message += ". The credentials are valid but lack permission for this operation.";
        else
            message += ".";
        return new RegistryException(message, reference, response.StatusCode, errors);
    }

    private Uri Url(string relative) => new(BaseAddress, relative);

    private static int CheckPageSize(int pageSize) =>
        pageSize >= 1 ? pageSize : throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "A page size is at least 1.");

    private static string CheckRepository(string repository) =>
        !string.IsNullOrEmpty(repository) && !repository.StartsWith('/') && !repository.EndsWith('/') && !repository.Any(char.IsWhiteSpace)
            ? repository
            : throw new ArgumentException($"'{repository}' is not a repository path (expected e.g. library/foo).", nameof(repository));
}
