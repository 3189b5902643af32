using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Promoter.Registry;

public sealed partial class RegistryClient
{
    /// <summary>
    /// Answers auth challenges and remembers the answer: Basic auth once a registry asked for it, bearer tokens per
    /// request scope (distribution's token authentication spec, <c>docs/spec/auth/token.md</c>).
    /// </summary>
    private sealed class TokenCache(RegistryClient client)
    {
        private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new();
        private volatile bool _useBasic;

        /// <summary>Adds the Authorization header a request of <paramref name="scope"/> should carry, if one is known.</summary>
        public void Authorize(HttpRequestMessage request, RequestScope scope)
        {
            if (_useBasic && client._options.Credential is { HasPassword: true } credential)
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credential.BasicHeaderValue());
            else if (_tokens.TryGetValue(scope.Key, out var token) && token.Expires > DateTimeOffset.UtcNow)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        }

        /// <summary>Prepares credentials for a retry of a request that got <paramref name="challenge"/>; false when there is nothing to try.</summary>
        public async Task<bool> AnswerChallengeAsync(AuthChallenge challenge, RequestScope scope, string reference, CancellationToken cancellationToken)
        {
            if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                if (_useBasic || client._options.Credential is not { HasPassword: true }) return false;
                _useBasic = true;
                return true;
            }
            if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || challenge.Realm is null) return false;
            var scopes = challenge.Scopes.Union(scope.DefaultScopes).ToList();
            var (token, lifetime) = await FetchTokenAsync(challenge, scopes, reference, cancellationToken);
            // Renew a little early so a token does not expire between Authorize and the registry's check.
            _tokens[scope.Key] = (token, DateTimeOffset.UtcNow + lifetime - TimeSpan.FromSeconds(Math.Min(10, lifetime.TotalSeconds / 2)));
            return true;
        }

        /// <summary>
        /// Asks the token server at the challenge's realm for a token: <c>GET realm?service=&amp;scope=</c> (with Basic
        /// auth when a password is known, anonymously otherwise), or with an identity token the OAuth2 form
        /// <c>POST realm</c> with <c>grant_type=refresh_token</c>.
        /// </summary>
        private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(AuthChallenge challenge, IReadOnlyList<string> scopes,
            string reference, CancellationToken cancellationToken)
        {
            var credential = client._options.Credential;
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
            var tokenServer = $"the token server {realm.GetLeftPart(UriPartial.Authority)} of registry {client.Host}";
            HttpResponseMessage response;
            try
            {
                response = await client._pipeline.ExecuteAsync(async ct =>
                    await client.SendWatchedAsync(Build(), "fetch a token for", reference, ct, tokenServer), cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new RegistryException($"the token server {realm.GetLeftPart(UriPartial.Authority)} of registry {client.Host} could not be reached ({e.Message}).", reference, inner: e);
            }
            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    var why = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                        ? credential is null ? "no credentials were given" : $"it refused the credentials of {credential}"
                        : "it failed";
                    throw new RegistryException(
                        $"the token server {realm.GetLeftPart(UriPartial.Path)} of registry {client.Host} answered {(int)response.StatusCode} {response.ReasonPhrase} for scope '{string.Join(' ', scopes)}'{(reference.Length > 0 ? $" (accessing {reference})" : "")}: {why}.",
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
