using System.Text.Json;

namespace Promoter.Registry;

/// <summary>
/// The access token of a GCE VM's or GKE pod's service account (workload identity) from the metadata server:
/// <c>GET http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token</c> with
/// <c>Metadata-Flavor: Google</c>, answering <c>{"access_token","expires_in","token_type"}</c>; used as the password of
/// <c>oauth2accesstoken</c>, and kept until shortly before <c>expires_in</c> runs out. Which registries it is for is the
/// caller's rule (<see cref="GoogleCredentials"/>).
/// </summary>
public sealed class MetadataServerAccessToken : ICredentialSource, IDisposable
{
    /// <summary>The metadata server's address on GCE and GKE.</summary>
    public static Uri DefaultAddress { get; } = new("http://metadata.google.internal/");

    private readonly HttpClient _http;
    private readonly ExpiringToken _token;

    /// <summary>A token source asking the metadata server at <paramref name="address"/>.</summary>
    /// <param name="address">The server's base address (default <see cref="DefaultAddress"/>; tests give a loopback listener).</param>
    /// <param name="timeout">How long the request may take (default 5 s: off Google Cloud the name does not resolve or nothing answers).</param>
    public MetadataServerAccessToken(Uri? address = null, TimeSpan? timeout = null)
    {
        Address = address ?? DefaultAddress;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = timeout ?? TimeSpan.FromSeconds(5) };
        _token = new ExpiringToken(FetchAsync);
    }

    /// <summary>The metadata server's base address.</summary>
    public Uri Address { get; }

    /// <summary>How many tokens were fetched (for tests and measurements).</summary>
    public int Fetches => _token.Fetches;

    /// <inheritdoc />
    /// <exception cref="RegistryException">The server cannot be reached, refuses, or answers without a token; the message
    /// names the registry and the server.</exception>
    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        try
        {
            return new RegistryCredential("oauth2accesstoken", await _token.GetAsync().WaitAsync(cancellationToken));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidDataException)
        {
            var why = e is TaskCanceledException && !cancellationToken.IsCancellationRequested ? $"no answer within {_http.Timeout.TotalSeconds:0.#} s" : e.Message;
            throw new RegistryException($"registry {registry}: the metadata server {Address} gave no access token ({why}).", registry, inner: e);
        }
    }

    private async Task<(string, TimeSpan)> FetchAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(Address, "computeMetadata/v1/instance/service-accounts/default/token"));
        request.Headers.Add("Metadata-Flavor", "Google");
        using var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidDataException($"it answered {(int)response.StatusCode} {response.ReasonPhrase}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var token = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("access_token", out var t) && t.GetString() is { Length: > 0 } s
            ? s : throw new InvalidDataException("the answer has no 'access_token'");
        var seconds = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var n) && n > 0 ? n : 60;
        return (token, TimeSpan.FromSeconds(seconds));
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
