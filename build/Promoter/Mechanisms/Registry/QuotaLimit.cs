namespace Promoter.Registry;

/// <summary>The limit of one quota domain.</summary>
/// <param name="Domain">The domain.</param>
/// <param name="PerSecond">At most this many requests in any second; null for no per-second limit.</param>
/// <param name="PerMinute">At most this many requests in any minute; null for no per-minute limit.</param>
public sealed record QuotaLimit(QuotaDomainKey Domain, int? PerSecond, int? PerMinute)
{
    /// <summary>True when neither rate limits the domain.</summary>
    public bool IsUnlimited => PerSecond is null && PerMinute is null;

    /// <summary>The shortest time <paramref name="requests"/> requests take at this limit (zero when unlimited): the slower of
    /// the two rates.</summary>
    public TimeSpan TimeFor(long requests) => TimeSpan.FromSeconds(Math.Max(
        PerSecond is { } s ? (double)requests / s : 0, PerMinute is { } m ? 60.0 * requests / m : 0));

    /// <summary>The rates, e.g. <c>50/s</c>, <c>20/s, 600/min</c>, or <c>unlimited</c>.</summary>
    public string Rates => IsUnlimited ? "unlimited"
        : string.Join(", ", new[] { PerSecond is { } s ? $"{s}/s" : null, PerMinute is { } m ? $"{m}/min" : null }.OfType<string>());
}
