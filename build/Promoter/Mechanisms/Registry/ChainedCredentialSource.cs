namespace Promoter.Registry;

/// <summary>Asks <paramref name="first"/>, and <paramref name="then"/> when the first has nothing for the registry.</summary>
/// <param name="first">The preferred source.</param>
/// <param name="then">The fallback, or null.</param>
public sealed class ChainedCredentialSource(ICredentialSource first, ICredentialSource? then) : ICredentialSource
{
    /// <inheritdoc />
    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken) =>
        await first.GetAsync(registry, cancellationToken) ?? (then is null ? null : await then.GetAsync(registry, cancellationToken));
}
