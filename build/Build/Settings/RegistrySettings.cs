namespace Build.Settings;

/// <summary>The run's registry pool.</summary>
/// <param name="Aliases">Host to address, e.g. <c>gcr.io</c> to <c>127.0.0.1:5000</c>.</param>
/// <param name="Storage">Host to the absolute storage root of a Distribution registry on this machine (the folder exists).</param>
/// <param name="Timeout">How long a registry may stay silent before a request fails (<see cref="Promoter.Registry.RegistryClientOptions.ReadTimeout"/>).</param>
/// <param name="MetadataServer">The metadata server's base address, or null for Google's.</param>
/// <param name="MaxRequestsPerSecond">Requests per second to one quota domain (by default one host) at most; 0 for unlimited (<see cref="Promoter.Registry.RegistryTransportOptions"/>).</param>
/// <param name="LimitLoopback">The limit also applies to loopback hosts (true when <c>--max-requests-per-second</c> was given).</param>
/// <param name="RetryBudget">How long one request may keep being retried; null for the default (<see cref="Promoter.Registry.RegistryClientOptions.RetryBudget"/>).</param>
public sealed record RegistrySettings(IReadOnlyList<KeyValuePair<string, string>> Aliases, IReadOnlyList<KeyValuePair<string, string>> Storage,
    TimeSpan Timeout, Uri? MetadataServer = null, int MaxRequestsPerSecond = 50, bool LimitLoopback = false, TimeSpan? RetryBudget = null)
{
    /// <summary>The <c>--quota-domains</c> file (absolute), or null for the built-in domains only.</summary>
    public string? QuotaDomainsFile { get; init; }
}
