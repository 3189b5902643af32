using System.Collections.Concurrent;

namespace Promoter.Registry;

/// <summary>
/// kpromo's <c>--use-service-account</c>: each registry address that a manifest gives a <c>service-account:</c> gets an
/// access token of that account, from <c>gcloud auth print-access-token --impersonate-service-account=SA</c> (one
/// <see cref="GcloudAccessToken"/> per account, so each token is cached and renewed on its own), used as the password of
/// <c>oauth2accesstoken</c>. Other addresses get null, so the next source (docker's config.json, Google's default token)
/// answers. See <see cref="RegistryPool.PreferredCredentials"/>.
/// </summary>
/// <param name="accounts">Registry address (<c>host[:port]</c>, as the pool contacts it) to service account e-mail.</param>
/// <param name="searchPath">The folders to look for <c>gcloud</c> in (PATH syntax); null for the process's PATH.</param>
public sealed class ServiceAccountCredentials(IReadOnlyDictionary<string, string> accounts, string? searchPath = null) : ICredentialSource
{
    private readonly Dictionary<string, string> _accounts = new(accounts, StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, GcloudAccessToken> _tokens = new(StringComparer.Ordinal);

    /// <summary>The service account used for <paramref name="registry"/>, or null.</summary>
    public string? AccountFor(string registry) => _accounts.GetValueOrDefault(registry);

    /// <inheritdoc />
    /// <exception cref="RegistryException">gcloud is missing, or refuses the impersonation; the message names the registry,
    /// the command with the account, and gcloud's first line of error output (never a token).</exception>
    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        if (AccountFor(registry) is not { } account) return null;
        var gcloud = _tokens.GetOrAdd(account, a => new GcloudAccessToken(impersonate: a, searchPath: searchPath));
        return await gcloud.GetAsync(registry, cancellationToken);
    }
}
