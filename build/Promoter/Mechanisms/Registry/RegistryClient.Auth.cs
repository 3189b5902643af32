using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Promoter.Registry;

public sealed partial class RegistryClient
{
    /// <summary>
    /// How this client authenticates to its registry, learnt once and shared by every request (distribution's token
    /// authentication spec, <c>docs/spec/auth/token.md</c>; RFC 7617 for Basic):
    /// <list type="bullet">
    /// <item>discovery: until the registry's first answer tells whether and how it challenges, requests go out one at a
    /// time (<see cref="EnterAsync"/>), so eight threads starting together cost one challenge, not eight;</item>
    /// <item>Basic: once the registry asked for it, every request carries the header pre-emptively (Distribution's
    /// htpasswd checks a bcrypt hash per request, so the count of requests is the cost; none is sent twice);</item>
    /// <item>Bearer: a token per request scope, cached until shortly before it expires; once the realm is known a token is
    /// fetched before the first request of a scope, and concurrent requests of one scope share one fetch.</item>
    /// </list>
    /// A request that was challenged although it carried no credential (it left before the scheme was known) is answered
    /// and retried; one that carried them and is still refused is not, and its 401 says the credentials were refused.
    /// </summary>
    private sealed class AuthState(RegistryClient client)
    {
        private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new();
        private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _fetches = new();
        private readonly SemaphoreSlim _discovery = new(1, 1);
        private volatile bool _discovered;
        private volatile bool _useBasic;
        private volatile AuthChallenge? _bearer;

        /// <summary>
        /// Waits, before the registry's first answer is known, until no other request is out; true when the caller holds the
        /// discovery turn and must call <see cref="Discovered"/> when its first attempt ends (answered or failed).
        /// </summary>
        public async Task<bool> EnterAsync(CancellationToken cancellationToken)
        {
            if (_discovered) return false;
            await _discovery.WaitAsync(cancellationToken);
            if (!_discovered) return true;
            _discovery.Release();
            return false;
        }

        /// <summary>Ends discovery (whatever the outcome: a failed first request must not make the others queue behind it).</summary>
        public void Discovered()
        {
            _discovered = true;
            _discovery.Release();
        }

        /// <summary>Adds the Authorization header a request of <paramref name="scope"/> should carry, fetching a bearer token
        /// first when the realm is known and no valid token for the scope is cached.</summary>
        public async Task AuthorizeAsync(HttpRequestMessage request, RequestScope scope, string reference, CancellationToken cancellationToken)
        {
            if (_useBasic && await client.CredentialAsync(cancellationToken) is { HasPassword: true } credential)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credential.BasicHeaderValue());
                return;
            }
            var token = CachedToken(scope);
            if (token is null && _bearer is { } known && scope.DefaultScopes.Count > 0)
                token = await TokenAsync(known, scope.DefaultScopes, scope, reference, stale: null, cancellationToken);
            if (token is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        /// <summary>
        /// Prepares credentials for a retry of a request that got <paramref name="challenge"/> although it carried
        /// <paramref name="sent"/>; false when there is nothing new to try (the 401 stands).
        /// </summary>
        public async Task<bool> AnswerChallengeAsync(AuthChallenge challenge, RequestScope scope, string reference,
            AuthenticationHeaderValue? sent, CancellationToken cancellationToken)
        {
            if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                if (await client.CredentialAsync(cancellationToken) is not { HasPassword: true }) return false;
                if (sent?.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) == true) return false; // refused
                _useBasic = true;
                return true;
            }
            if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || challenge.Realm is null) return false;
            _bearer = challenge;
            var stale = sent?.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) == true ? sent.Parameter : null;
            await TokenAsync(challenge, challenge.Scopes.Union(scope.DefaultScopes).ToList(), scope, reference, stale, cancellationToken);
            return true;
        }

        private string? CachedToken(RequestScope scope) =>
            _tokens.TryGetValue(scope.Key, out var token) && token.Expires > DateTimeOffset.UtcNow ? token.Token : null;

        /// <summary>
        /// A token for <paramref name="scope"/>: the cached one unless it is <paramref name="stale"/> (the one a refused
        /// request carried) or expired; otherwise one fetch of <paramref name="scopes"/> from the challenge's realm, shared by
        /// every request of the scope that asks meanwhile.
        /// </summary>
        private async Task<string> TokenAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, RequestScope scope, string reference,
            string? stale, CancellationToken cancellationToken)
        {
            if (CachedToken(scope) is { } cached && cached != stale) return cached;
            var fetch = _fetches.GetOrAdd(scope.Key, key => new Lazy<Task<string>>(async () =>
            {
                try
                {
                    var (token, lifetime) = await FetchTokenAsync(challenge, scopes, reference, CancellationToken.None);
                    // Renew a little early so a token does not expire between Authorize and the registry's check.
                    _tokens[scope.Key] = (token, DateTimeOffset.UtcNow + lifetime - TimeSpan.FromSeconds(Math.Min(10, lifetime.TotalSeconds / 2)));
                    return token;
                }
                finally
                {
                    _fetches.TryRemove(key, out var _);
                }
            }));
            return await fetch.Value.WaitAsync(cancellationToken);
        }

        /// <summary>
        /// Asks the token server at the challenge's realm for a token: <c>GET realm?service=&amp;scope=</c> (with Basic
        /// auth when a password is known, anonymously otherwise), or with an identity token the OAuth2 form
        /// <c>POST realm</c> with <c>grant_type=refresh_token</c>.
        /// </summary>
        private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(AuthChallenge challenge, IReadOnlyList<string> scopes,
            string reference, CancellationToken cancellationToken)
        {
            var credential = await client.CredentialAsync(cancellationToken);
            Uri realm;
            try { realm = new Uri(challenge.Realm!); }
            catch (UriFormatException) { throw new RegistryException($"registry {client.Host} sent an auth challenge with an invalid realm '{challenge.Realm}'.", reference); }

            HttpRequestMessage Build()
            {
                if (credential?.IdentityToken is { } refresh)
                {
                    var form = new List<KeyValuePair<string, string>>
                    {
                        new("grant_type", "refresh_token"),
                        new("refresh_token", refresh),
                        new("client_id", "promoter"),
                    };
                    if (challenge.Service is { } s) form.Add(new("service", s));
                    form.AddRange(scopes.Select(sc => new KeyValuePair<string, string>("scope", sc)));
                    return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
                }
                var query = new List<string>();
                if (challenge.Service is { } service) query.Add("service=" + Uri.EscapeDataString(service));
                query.AddRange(scopes.Select(sc => "scope=" + Uri.EscapeDataString(sc)));
                var builder = new UriBuilder(realm);
                var existing = builder.Query.TrimStart('?');
                builder.Query = string.Join('&', new[] { existing }.Where(q => q.Length > 0).Concat(query));
                var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
                if (credential is { HasPassword: true })
                    request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credential.BasicHeaderValue());
                return request;
            }

            client._options.Log?.Invoke($"fetching a token from {realm.GetLeftPart(UriPartial.Path)} for {string.Join(' ', scopes)}");
            Interlocked.Increment(ref client._tokenFetches);
            var tokenServer = $"the token server {realm.GetLeftPart(UriPartial.Authority)} of registry {client.Host}";
            var tokenHost = realm.Authority;
            // A token request counts against the quota domain of the token server and the repository it is for.
            var repository = RequestScope.RepositoryOf(scopes);
            var response = await client.RetryAsync(async ct =>
            {
                var answer = await client.SendWatchedAsync(Scoped(Build(), repository), "fetch a token for", reference, ct, tokenServer);
                if (answer.IsSuccessStatusCode) await client.BufferAsync(answer, "fetch a token for", reference, tokenServer, ct);
                return answer;
            }, tokenHost, repository, "fetch a token for", reference, Replay.Always, (e, note) => e is RegistryException r ? WithNote(r, note)
                : new RegistryException($"the token server {realm.GetLeftPart(UriPartial.Authority)} of registry {client.Host} could not be reached ({e.Message}{(note is null ? "" : "; " + note)}).", reference, inner: e),
                cancellationToken);
            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    var why = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                        ? credential is null ? "no credentials were given" : $"it refused the credentials of {credential}"
                        : "it failed";
                    throw new RegistryException(
                        $"the token server {realm.GetLeftPart(UriPartial.Path)} of registry {client.Host} answered {(int)response.StatusCode} {response.ReasonPhrase} for scope '{string.Join(' ', scopes)}'{(reference.Length > 0 ? $" (accessing {reference})" : "")}: {why}{(GaveUp(response) is { } note ? $" ({note})" : "")}.",
                        reference, response.StatusCode);
                }
                var body = await client.ReadBodyAsync(response, "fetch a token for", reference, cancellationToken, party: tokenServer);
                try
                {
                    using var json = JsonDocument.Parse(body);
                    var root = json.RootElement;
                    var token = root.TryGetProperty("token", out var t) && t.GetString() is { Length: > 0 } tv ? tv
                        : root.TryGetProperty("access_token", out var a) && a.GetString() is { Length: > 0 } av ? av
                        : throw new RegistryException($"the token server {realm.GetLeftPart(UriPartial.Path)} answered without a 'token' or 'access_token'.", reference);
                    // The token spec: expires_in defaults to 60 seconds when absent.
                    var seconds = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) && s > 0 ? s : 60;
                    return (token, TimeSpan.FromSeconds(seconds));
                }
                catch (JsonException e)
                {
                    throw new RegistryException($"the token server {realm.GetLeftPart(UriPartial.Path)} answered with invalid JSON ({e.Message}).", reference, inner: e);
                }
            }
        }
    }
}
