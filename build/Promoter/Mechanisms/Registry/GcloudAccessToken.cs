using System.ComponentModel;

namespace Promoter.Registry;

/// <summary>
/// An OAuth2 access token printed by <c>gcloud auth print-access-token</c> (optionally
/// <c>--impersonate-service-account=SA</c>), given to the registry as the password of the user <c>oauth2accesstoken</c>
/// (Google's registries accept this on their token server). gcloud prints no expiry and itself refreshes a token with
/// less than about four minutes left, so a printed token is kept for <see cref="Lifetime"/> (3 minutes). Which registries
/// it is for is the caller's rule (<see cref="GoogleCredentials"/>).
/// </summary>
public sealed class GcloudAccessToken : ICredentialSource
{
    private readonly ExpiringToken _token;
    private readonly string? _searchPath;

    /// <summary>A token source running gcloud.</summary>
    /// <param name="impersonate">A service account to impersonate, or null for gcloud's active account.</param>
    /// <param name="timeout">How long one gcloud run may take (default 30 s).</param>
    /// <param name="searchPath">The folders to look for <c>gcloud</c> in (PATH syntax); null for the process's PATH.</param>
    public GcloudAccessToken(string? impersonate = null, TimeSpan? timeout = null, string? searchPath = null)
    {
        Impersonate = impersonate;
        Timeout = timeout ?? TimeSpan.FromSeconds(30);
        _searchPath = searchPath;
        _token = new ExpiringToken(FetchAsync);
    }

    /// <summary>How long a printed token is kept.</summary>
    public static TimeSpan Lifetime { get; } = TimeSpan.FromMinutes(3);

    /// <summary>The impersonated service account, or null.</summary>
    public string? Impersonate { get; }

    /// <summary>How long one gcloud run may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How many times gcloud was run (for tests and measurements).</summary>
    public int Runs => _token.Fetches;

    /// <summary>True when a <c>gcloud</c> executable is on the search path.</summary>
    public bool IsInstalled => CredentialProcess.Find("gcloud", _searchPath) is not null;

    /// <inheritdoc />
    /// <exception cref="RegistryException">gcloud is missing, fails, times out or prints no token; the message names the
    /// registry and gcloud's first line of error output.</exception>
    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        try
        {
            return new RegistryCredential("oauth2accesstoken", await _token.GetAsync().WaitAsync(cancellationToken));
        }
        catch (GcloudFailure failure)
        {
            throw new RegistryException($"registry {registry}: {failure.Message}", registry, inner: failure.InnerException);
        }
    }

    private async Task<(string, TimeSpan)> FetchAsync()
    {
        var command = "gcloud auth print-access-token" + (Impersonate is null ? "" : $" --impersonate-service-account={Impersonate}");
        var path = CredentialProcess.Find("gcloud", _searchPath) ?? throw new GcloudFailure($"{command}: gcloud is not on PATH.");
        List<string> arguments = ["auth", "print-access-token"];
        if (Impersonate is not null) arguments.Add($"--impersonate-service-account={Impersonate}");
        CredentialProcess.Result result;
        try
        {
            result = await CredentialProcess.RunAsync(path, arguments, null, Timeout, CancellationToken.None);
        }
        catch (Exception e) when (e is Win32Exception or TimeoutException or IOException)
        {
            throw new GcloudFailure($"{command} could not be run: {e.Message}.", e);
        }
        if (result.ExitCode != 0)
        {
            var said = CredentialProcess.FirstLine(result.Error.Length > 0 ? result.Error : result.Output);
            throw new GcloudFailure($"{command} failed with exit code {result.ExitCode}{(said.Length > 0 ? $": {said}" : "")}.");
        }
        var token = result.Output.Trim();
        if (token.Length == 0 || token.Any(char.IsWhiteSpace))
            throw new GcloudFailure($"{command} printed no single token.");
        return (token, Lifetime);
    }

    /// <summary>A failed fetch, named per registry by <see cref="GetAsync"/>.</summary>
    private sealed class GcloudFailure(string message, Exception? inner = null) : Exception(message, inner);
}
