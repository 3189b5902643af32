namespace Promoter.Registry;

/// <summary>
/// A registry's credential as docker, crane and kpromo find it, in this order: the host's <c>credHelpers</c> helper, the
/// <c>credsStore</c> helper, the host's <c>auths</c> entry, then the fallback (Google's access tokens for Google's
/// registries). A helper that answers "credentials not found" passes the question on (docker stops at the first store
/// that applies; going on only adds credentials it would not find). A helper that is missing or fails is an error
/// naming the registry and the helper. Each helper runs at most once per registry for the life of the keychain.
/// </summary>
public sealed class DockerKeychain : ICredentialSource
{
    private readonly DockerConfig _config;
    private readonly Dictionary<string, DockerCredentialHelper> _helpers = new(StringComparer.OrdinalIgnoreCase);
    private readonly DockerCredentialHelper? _store;
    private readonly ICredentialSource? _fallback;

    /// <summary>The keychain of <paramref name="config"/>.</summary>
    /// <param name="config">The docker config.json read.</param>
    /// <param name="fallback">Asked when the config has nothing for a registry (e.g. <see cref="GoogleCredentials"/>), or null.</param>
    /// <param name="helperTimeout">How long one helper run may take (default 30 s).</param>
    /// <param name="searchPath">The folders helpers are looked up in (PATH syntax); null for the process's PATH.</param>
    public DockerKeychain(DockerConfig config, ICredentialSource? fallback = null, TimeSpan? helperTimeout = null, string? searchPath = null)
    {
        _config = config;
        _fallback = fallback;
        var file = config.Path ?? "config.json";
        foreach (var name in config.CredentialHelpers.Values.Distinct(StringComparer.Ordinal))
            _helpers[name] = new DockerCredentialHelper(name, $"credHelpers of {file}", helperTimeout, searchPath);
        if (config.CredentialStore is { } store)
            _store = new DockerCredentialHelper(store, $"credsStore of {file}", helperTimeout, searchPath);
    }

    /// <summary>The helpers this keychain may run (per-host ones, then the store), for tests and measurements.</summary>
    public IEnumerable<DockerCredentialHelper> Helpers => _store is null ? _helpers.Values : _helpers.Values.Append(_store);

    /// <inheritdoc />
    /// <exception cref="RegistryException">A configured helper is missing, fails or breaks the protocol.</exception>
    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        var host = DockerConfig.NormaliseHost(registry);
        if (HelperFor(host) is { } helper && await helper.GetAsync(host, cancellationToken) is { } fromHelper) return fromHelper;
        if (_store is not null && await _store.GetAsync(host, cancellationToken) is { } fromStore) return fromStore;
        if (_config.Find(host) is { } fromFile) return fromFile;
        return _fallback is null ? null : await _fallback.GetAsync(host, cancellationToken);
    }

    private DockerCredentialHelper? HelperFor(string host)
    {
        foreach (var key in DockerConfig.HostKeys(host))
            if (_config.CredentialHelpers.TryGetValue(key, out var name)) return _helpers[name];
        return null;
    }
}
