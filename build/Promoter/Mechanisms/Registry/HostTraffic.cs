namespace Promoter.Registry;

/// <summary>What a <see cref="RegistryTransport"/> counted for one host since it was created.</summary>
/// <param name="Host">The host as contacted, <c>host[:port]</c>.</param>
/// <param name="Requests">HTTP requests sent to it (every attempt counts, retries included).</param>
/// <param name="Retries">Of those, attempts that repeated a failed one.</param>
/// <param name="TooManyRequests">429 answers.</param>
/// <param name="ServerErrors">5xx answers.</param>
/// <param name="ConnectionFailures">Requests that ended without an answer: reset, closed or refused connections.</param>
/// <param name="Timeouts">Requests whose answer (headers or body) did not come within the read timeout.</param>
/// <param name="LimiterWait">Time requests spent waiting for the rate limit, summed over requests.</param>
/// <param name="CoolDownWait">Time requests spent waiting for a cool-down after a 429, summed over requests.</param>
public sealed record HostTraffic(string Host, long Requests, long Retries, long TooManyRequests, long ServerErrors,
    long ConnectionFailures, long Timeouts, TimeSpan LimiterWait, TimeSpan CoolDownWait);
