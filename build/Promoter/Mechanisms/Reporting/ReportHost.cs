namespace Promoter.Reporting;

/// <summary>The requests sent to one registry host.</summary>
/// <param name="Host">The host as contacted.</param>
/// <param name="Requests">Requests sent (retries included).</param>
/// <param name="Retries">Attempts that repeated a failed one.</param>
/// <param name="TooManyRequests">429 answers.</param>
/// <param name="ServerErrors">5xx answers.</param>
/// <param name="Failures">Requests that ended without an answer or timed out.</param>
public sealed record ReportHost(string Host, long Requests, long Retries, long TooManyRequests, long ServerErrors, long Failures);
