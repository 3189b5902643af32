namespace Promoter.Reporting;

/// <summary>One refused edge, listed before everything else.</summary>
/// <param name="Image">The image name.</param>
/// <param name="Destination">The destination registry (with its path).</param>
/// <param name="Reference">The destination tag, or the digest of a tagless edge.</param>
/// <param name="Reason">The whole refusal line, as the log and the failure message say it (names the digests).</param>
public sealed record ReportRefusal(string Image, string Destination, string Reference, string Reason);
