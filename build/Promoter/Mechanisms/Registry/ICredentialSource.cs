namespace Promoter.Registry;

/// <summary>
/// Where a registry's credentials come from when they are not given outright (<see cref="RegistryClientOptions.Credential"/>):
/// a docker credential helper, an access-token command, a metadata server. A client asks its source only when the registry
/// challenges it, and again whenever it needs the credential, so a source caches what it found (and lets an expiring
/// token be replaced). Implementations never put a secret in an exception or a log line.
/// </summary>
public interface ICredentialSource
{
    /// <summary>The credential for <paramref name="registry"/> (<c>host[:port]</c>), or null when this source has none for it.</summary>
    /// <exception cref="RegistryException">The source was configured for the registry but failed (a helper missing or
    /// failing, an answer that is not the protocol's); the message names the registry and the source, never a secret.</exception>
    ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken);
}
