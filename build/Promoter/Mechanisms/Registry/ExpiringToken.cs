namespace Promoter.Registry;

/// <summary>
/// One access token kept until shortly before it expires (a tenth of its lifetime, at most a minute early); callers that
/// ask while it is being fetched share that fetch. A failed fetch is not kept: the next caller tries again.
/// </summary>
internal sealed class ExpiringToken(Func<Task<(string Token, TimeSpan Lifetime)>> fetch, TimeProvider? time = null)
{
    private readonly object _gate = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private (string Token, DateTimeOffset RenewAt)? _current;
    private Task<string>? _fetching;

    /// <summary>How many fetches were started (for tests).</summary>
    public int Fetches { get; private set; }

    /// <summary>The kept token while it is fresh, else a new one.</summary>
    public Task<string> GetAsync()
    {
        lock (_gate)
        {
            if (_current is { } current && _time.GetUtcNow() < current.RenewAt) return Task.FromResult(current.Token);
            if (_fetching is { IsCompleted: false } running) return running;
            Fetches++;
            return _fetching = FetchAsync();
        }
    }

    private async Task<string> FetchAsync()
    {
        var (token, lifetime) = await fetch();
        var early = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, lifetime.Ticks / 10));
        lock (_gate) _current = (token, _time.GetUtcNow() + lifetime - early);
        return token;
    }
}
