namespace Promoter.Registry;

/// <summary>
/// Access tokens for Google's registries (<c>gcr.io</c>, <c>*.gcr.io</c>, <c>pkg.dev</c>, <c>*-docker.pkg.dev</c>), as
/// crane's and kpromo's Google keychain find them: from <c>gcloud</c> when it is installed and prints one, otherwise from
/// the metadata server (GCE, GKE with workload identity). Other registries get null. When neither gives a token the
/// answer is null too, for the rest of the run (anonymous access, which public images allow); why is logged.
/// </summary>
/// <param name="gcloud">The gcloud token source, or null to skip it.</param>
/// <param name="metadata">The metadata-server token source, or null to skip it.</param>
/// <param name="log">Receives one line per source that failed (never a token); null for silence.</param>
public sealed class GoogleCredentials(GcloudAccessToken? gcloud, MetadataServerAccessToken? metadata, Action<string>? log = null) : ICredentialSource
{
    // Once neither source gave a token, the run stays anonymous for Google's registries: no source is asked again.
    private volatile bool _none;

    /// <summary>True for Google's registry hosts: <c>gcr.io</c>, <c>*.gcr.io</c>, <c>pkg.dev</c>, <c>*-docker.pkg.dev</c>
    /// (<c>host[:port]</c>, any case).</summary>
    public static bool IsGoogleRegistry(string host)
    {
        var name = DockerConfig.NormaliseHost(host);
        var colon = name.LastIndexOf(':');
        if (colon >= 0) name = name[..colon];
        return name is "gcr.io" or "pkg.dev" || name.EndsWith(".gcr.io", StringComparison.Ordinal)
            || (name.EndsWith("-docker.pkg.dev", StringComparison.Ordinal) && name.Length > "-docker.pkg.dev".Length);
    }

    /// <inheritdoc />
    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        if (!IsGoogleRegistry(registry) || _none) return null;
        if (gcloud is { IsInstalled: true })
        {
            try { return await gcloud.GetAsync(registry, cancellationToken); }
            catch (RegistryException e) { log?.Invoke(e.Message); }
        }
        if (metadata is not null)
        {
            try { return await metadata.GetAsync(registry, cancellationToken); }
            catch (RegistryException e) { log?.Invoke(e.Message); }
        }
        _none = true;
        log?.Invoke($"registry {registry}: no Google access token was found; it is accessed anonymously.");
        return null;
    }
}
