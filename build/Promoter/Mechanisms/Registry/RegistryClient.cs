using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Diagnostics;
using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>
/// A client of one registry host speaking the OCI Distribution API v2 (OCI distribution-spec; Docker registry HTTP
/// API V2). It authenticates anonymously, with HTTP Basic auth or with the bearer-token challenge flow (tokens cached
/// per scope), sends through a <see cref="RegistryTransport"/> (per-host rate limit, shared cool-down after a 429),
/// retries 429/5xx answers, reset connections and timeouts within a retry budget (see the folder README), and checks the sha256
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
    private readonly RegistryTransport _transport;
    private readonly RegistryTransport? _ownTransport;
    private readonly AuthState _auth;
    private int _tokenFetches;

    /// <summary>Creates a client for <paramref name="host"/>.</summary>
    /// <param name="host">Host and optional port, e.g. <c>127.0.0.1:5000</c> or <c>registry.k8s.io</c>. Loopback hosts
    /// (<c>127.*</c>, <c>localhost</c>, <c>[::1]</c>) use http; others use https unless <see cref="RegistryClientOptions.Insecure"/>.</param>
    /// <param name="options">Settings; null for the defaults (anonymous, retries within 12 minutes, a transport of its own).</param>
    /// <exception cref="ArgumentException">The host is empty or holds a scheme or path.</exception>
    public RegistryClient(string host, RegistryClientOptions? options = null)
    {
        if (!RegistryHost.TryParse(host, out var parsed, out var error)) throw new ArgumentException(error, nameof(host));
        _options = options ?? new RegistryClientOptions();
        if (_options.ChunkSize <= 0) throw new ArgumentException("ChunkSize must be positive.", nameof(options));
        Host = host;
        var scheme = _options.Insecure || parsed.IsLoopback ? "http" : "https";
        BaseAddress = new Uri($"{scheme}://{host}/");
        _transport = _options.Transport ?? (_ownTransport = new RegistryTransport());
        _http = new HttpClient(_transport.CreateHandler(new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = _options.ConnectTimeout,
        }))
        { Timeout = Timeout.InfiniteTimeSpan }; // every wait is bounded by the read timeout instead (SendWatchedAsync, WatchBody)
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("promoter", "1.0"));
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

    private long _requestsSent;

    /// <summary>How many HTTP requests this client sent to its registry (retries and auth challenges included, token
    /// servers not): the count a run's request budget is compared with.</summary>
    public long RequestsSent => Interlocked.Read(ref _requestsSent);

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

    /// <summary>
    /// <see cref="ListTagsAsync"/> with a repository the registry does not know (404, e.g. <c>NAME_UNKNOWN</c>: never
    /// pushed, or Distribution's answer for a repository that holds blobs but no tag) read as one without tags: an empty
    /// set. The tags compare ordinally (case matters: the distribution spec's tag grammar is case-sensitive).
    /// </summary>
    /// <param name="repository">The repository path, e.g. <c>library/foo</c>.</param>
    /// <param name="pageSize">The <c>n</c> of each page request (at least 1).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <exception cref="RegistryException">The listing failed otherwise (refused, 5xx after retries, unreachable); callers
    /// that can do without a listing catch it and ask for each tag by name instead.</exception>
    public async Task<HashSet<string>> ListTagsOrEmptyAsync(string repository, int pageSize = 100, CancellationToken cancellationToken = default)
    {
        try
        {
            return new HashSet<string>(await ListTagsAsync(repository, pageSize, cancellationToken), StringComparer.Ordinal);
        }
        catch (RegistryException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>Reports a repair (<see cref="RegistryClientOptions.Report"/>, else <see cref="RegistryClientOptions.Log"/>).</summary>
    internal void ReportRepair(string line) => (_options.Report ?? _options.Log)?.Invoke(line);

    /// <inheritdoc />
    public void Dispose()
    {
        _http.Dispose();
        _ownTransport?.Dispose();
    }

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
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), scope, operation, reference, cancellationToken, buffer: true);
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

        /// <summary>The repository the request is about (a mount's target), for its quota domain; null for none.</summary>
        public string? Repository => RepositoryOf(DefaultScopes);

        /// <summary>The repository of the first <c>repository:NAME:ACTIONS</c> scope; null when there is none.</summary>
        public static string? RepositoryOf(IEnumerable<string> scopes)
        {
            foreach (var scope in scopes)
            {
                const string prefix = "repository:";
                var last = scope.LastIndexOf(':');
                if (scope.StartsWith(prefix, StringComparison.Ordinal) && last > prefix.Length) return scope[prefix.Length..last];
            }
            return null;
        }
    }

    /// <summary>Which failures a request may be repeated after (see the folder README, "Transport").</summary>
    internal enum Replay
    {
        /// <summary>Idempotent or harmless to repeat: retried after 429, 502/503/504, a few 500s, resets and timeouts.</summary>
        Always,

        /// <summary>A step of an upload session (PATCH of a chunk, the committing PUT): retried only after 429 and 503, which
        /// refuse a request before it touches the session; anything else may have half-written it, so the failure goes up
        /// and the caller (<see cref="ConcurrentWriter"/>, <see cref="BlobTransfer"/>) restarts the upload in a new session.</summary>
        UploadSession,
    }

    /// <summary>
    /// Sends a request built by <paramref name="build"/> (called again for every attempt: requests are never reused),
    /// answering an auth challenge once and retrying transient failures within the retry budget. The caller disposes the
    /// response. With <paramref name="buffer"/>, a successful answer's body is read whole inside the retries (a body that
    /// stalls or is cut is asked for again) and the response returned holds it in memory.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, RequestScope scope, string operation,
        string reference, CancellationToken cancellationToken, Replay replay = Replay.Always, bool buffer = false)
    {
        return await RetryAsync(async ct =>
        {
            var response = await SendOnceAsync(build, scope, operation, reference, ct);
            if (buffer && response.IsSuccessStatusCode) await BufferAsync(response, operation, reference, null, ct);
            return response;
        }, Host, scope.Repository, operation, reference, replay, (e, note) => e is RegistryException r ? WithNote(r, note) : ConnectionError(e, operation, reference, note),
            cancellationToken);
    }

    /// <summary>Replaces the body of <paramref name="response"/> by its bytes read whole through <see cref="WatchBody"/>;
    /// disposes the response when the read fails.</summary>
    internal async Task BufferAsync(HttpResponseMessage response, string operation, string reference, string? party, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await ReadBodyAsync(response, operation, reference, cancellationToken, party: party);
            var content = new ByteArrayContent(bytes);
            foreach (var header in response.Content.Headers.NonValidated)
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Content.Dispose();
            response.Content = content;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The 500 answers one request is retried after at most: a 500 from Distribution can mean broken storage,
    /// which retrying must not hide.</summary>
    internal const int MaxInternalErrorRetries = 2;

    /// <summary>The timeouts one request is retried after at most: a registry silent for the whole read timeout three
    /// times is down, not slow.</summary>
    internal const int MaxTimeoutRetries = 2;

    private static readonly HttpRequestOptionsKey<string> GaveUpKey = new("promoter.gave-up");

    /// <summary>
    /// Runs <paramref name="attempt"/> until it gives an answer that is not worth repeating, or the retries run out
    /// (<see cref="RegistryClientOptions.MaxRetries"/>, <see cref="RegistryClientOptions.RetryBudget"/>, the per-kind caps).
    /// Waits between attempts: the answer's <c>Retry-After</c> when it has one, else jittered exponential backoff, and at
    /// least the host's cool-down. A last answer that is a failure is returned (its error message then tells how many
    /// attempts were made); a last exception is turned into a <see cref="RegistryException"/> by <paramref name="failure"/>
    /// with the same note.
    /// </summary>
    private async Task<HttpResponseMessage> RetryAsync(Func<CancellationToken, Task<HttpResponseMessage>> attempt, string host, string? repository,
        string operation, string reference, Replay replay, Func<Exception, string?, RegistryException> failure, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        int retries = 0, internalErrors = 0, timeouts = 0;
        while (true)
        {
            HttpResponseMessage? response = null;
            Exception? error = null;
            try
            {
                response = await attempt(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || e is RegistryException { IsTimeout: true })
            {
                if (e is RegistryException) _transport.CountTimeout(host);
                error = e;
            }
            var retryable = _options.MaxRetries > 0 && error switch
            {
                RegistryException => replay == Replay.Always,
                not null => replay == Replay.Always && IsTransient(error),
                _ => response!.StatusCode switch
                {
                    HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => true,
                    HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.InternalServerError => replay == Replay.Always,
                    _ => false,
                },
            };
            if (!retryable)
            {
                if (error is null) return response!;
                var failed = failure(error, retries > 0 ? $"after {retries + 1} attempts in {Seconds(clock.Elapsed)}" : null);
                if (replay == Replay.UploadSession && (error is RegistryException || IsTransient(error)))
                    failed = new RegistryException(failed.Message, failed.Reference, failed.StatusCode, failed.Errors, failed.InnerException)
                    {
                        IsTimeout = failed.IsTimeout,
                        UploadSessionBroken = true,
                    };
                throw failed;
            }
            var asked = response is null ? null : RegistryTransport.RetryAfter(response);
            var delay = asked ?? Backoff(retries);
            var coolDown = _transport.CoolDownLeft(host, repository);
            if (coolDown > delay) delay = coolDown;
            var stop = error is RegistryException && timeouts++ >= MaxTimeoutRetries ? $"a timeout is retried {MaxTimeoutRetries} times at most"
                : response?.StatusCode == HttpStatusCode.InternalServerError && internalErrors++ >= MaxInternalErrorRetries
                    ? $"a 500 is retried {MaxInternalErrorRetries} times at most, since it can mean broken storage"
                : retries >= _options.MaxRetries ? $"no retries left ({_options.MaxRetries} allowed)"
                : clock.Elapsed + delay > _options.RetryBudget
                    ? $"the retry budget of {Seconds(_options.RetryBudget)} would run out before the next attempt" +
                      (asked is { } a ? $" (the registry asked to wait {Seconds(a)})" : "")
                    : null;
            var what = error is not null ? error is RegistryException ? "timeout" : error.GetType().Name : $"HTTP {(int)response!.StatusCode}";
            if (stop is not null)
            {
                var note = $"gave up after {retries + 1} attempt{(retries == 0 ? "" : "s")} in {Seconds(clock.Elapsed)}: {stop}";
                _options.Log?.Invoke($"{operation} {reference}: {what} from {host}; {note}");
                if (error is not null) throw failure(error, note);
                response!.RequestMessage?.Options.Set(GaveUpKey, note);
                return response;
            }
            response?.Dispose();
            retries++;
            _transport.CountRetry(host);
            _options.Log?.Invoke($"{operation} {reference}: {what} from {host}; retry {retries} in {delay.TotalMilliseconds:0} ms" +
                $" ({Seconds(_options.RetryBudget - clock.Elapsed)} of the retry budget left)");
            await Task.Delay(delay, cancellationToken);
        }
    }

    /// <summary>Exponential backoff with equal jitter: half of base*2^n (capped), plus a random part up to the other half.</summary>
    private TimeSpan Backoff(int retry)
    {
        var full = Math.Min(_options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 30)), _options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(full / 2 + Random.Shared.NextDouble() * full / 2);
    }

    private static RegistryException WithNote(RegistryException e, string? note) => note is null ? e
        : new RegistryException($"{e.Message.TrimEnd('.')} ({note}).", e.Reference, e.StatusCode, e.Errors, e.InnerException) { IsTimeout = e.IsTimeout };

    /// <summary>Why the retries of the request that got <paramref name="response"/> stopped, for its error message; null when it was not retried to the end.</summary>
    internal static string? GaveUp(HttpResponseMessage response) =>
        response.RequestMessage?.Options.TryGetValue(GaveUpKey, out var note) == true ? note : null;

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> build, RequestScope scope, string operation,
        string reference, CancellationToken cancellationToken)
    {
        var request = Scoped(build(), scope);
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
                request = Scoped(build(), scope);
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

    /// <summary>Tells the transport which repository <paramref name="request"/> is about (its quota domain may depend on it).</summary>
    internal static HttpRequestMessage Scoped(HttpRequestMessage request, RequestScope scope) => Scoped(request, scope.Repository);

    /// <summary>Tells the transport which repository <paramref name="request"/> is about (null: none).</summary>
    internal static HttpRequestMessage Scoped(HttpRequestMessage request, string? repository)
    {
        if (repository is not null) request.Options.Set(RegistryTransport.RepositoryKey, repository);
        return request;
    }

    /// <summary>Where <see cref="SendWatchedAsync"/> leaves a request's read timer for the transport to start.</summary>
    internal static readonly HttpRequestOptionsKey<IdleTimer> TimerKey = new("promoter.read-timer");

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
        // The transport starts the clock once the request's turn has come (after the host's cool-down and rate limit).
        using var timer = new IdleTimer(_options.ReadTimeout, cancellationToken, first: connect, deferred: true);
        request.Options.Set(TimerKey, timer);
        if (request.Content is { } content) request.Content = new WatchedContent(content, timer);
        if (party is null) Interlocked.Increment(ref _requestsSent);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timer.Token);
        }
        catch (Exception e) when (timer.Expired && e is OperationCanceledException or HttpRequestException or IOException)
        {
            throw new RegistryException(
                $"{operation} {reference}: {party ?? $"registry {Host}"} sent nothing for {Seconds(_options.ReadTimeout)} (read timeout): " +
                "it took the connection but neither read the request nor answered it.", reference, inner: e) { IsTimeout = true };
        }
        catch (OperationCanceledException e) when (e.InnerException is TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException(
                $"{operation} {reference}: {party ?? $"registry {Host}"} did not accept the connection within {Seconds(_options.ConnectTimeout)} (connect timeout).",
                reference, inner: e) { IsTimeout = true };
        }
    }

    /// <summary>
    /// The body of an answer with every read bounded by the read timeout: a registry that stops sending in the middle fails
    /// the read with a <see cref="RegistryException"/> naming it and the request.
    /// </summary>
    internal Stream WatchBody(Stream body, string operation, string reference, string? party = null) =>
        new IdleTimeoutStream(body, _options.ReadTimeout, e => new RegistryException(
            $"{operation} {reference}: {party ?? $"registry {Host}"} sent nothing for {Seconds(_options.ReadTimeout)} in the middle of the answer (read timeout).",
            reference, inner: e) { IsTimeout = true });

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

    private RegistryException ConnectionError(Exception e, string operation, string reference, string? note = null)
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
        return new RegistryException($"{what} ({operation} {reference}{(note is null ? "" : "; " + note)}).", reference, inner: e);
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
        else if (response.StatusCode == HttpStatusCode.InternalServerError)
            message += ". A Distribution registry answers 500 when its storage is broken (e.g. a missing or corrupt blob or link file): check its log and storage";
        if (GaveUp(response) is { } note)
            message += $" ({note})";
        if (!message.EndsWith('.')) message += ".";
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
