namespace Promoter.Registry;

/// <summary>One domain of a <c>--quota-domains</c> file.</summary>
/// <param name="Name">Its name (unique in the file).</param>
/// <param name="Hosts">The hosts (and repository prefixes) that share its quota.</param>
/// <param name="RequestsPerSecond">At most this many requests in any second; null for the run's
/// <c>--max-requests-per-second</c>; 0 for no per-second limit.</param>
/// <param name="RequestsPerMinute">At most this many requests in any minute; null (or 0) for none.</param>
/// <param name="Line">The line of the declaration, for messages.</param>
public sealed record QuotaDomain(string Name, IReadOnlyList<HostPattern> Hosts, int? RequestsPerSecond, int? RequestsPerMinute, int Line = 0);
