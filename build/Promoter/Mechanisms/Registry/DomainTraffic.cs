namespace Promoter.Registry;

/// <summary>What a <see cref="RegistryTransport"/> counted for one quota domain since it was created.</summary>
/// <param name="Limit">The domain and its rates.</param>
/// <param name="Hosts">The hosts whose requests counted against it, ordered.</param>
/// <param name="Requests">HTTP requests sent (every attempt counts).</param>
/// <param name="TooManyRequests">429 answers.</param>
/// <param name="LimiterWait">Time requests spent waiting for the domain's rate limit, summed over requests.</param>
public sealed record DomainTraffic(QuotaLimit Limit, IReadOnlyList<string> Hosts, long Requests, long TooManyRequests, TimeSpan LimiterWait);
