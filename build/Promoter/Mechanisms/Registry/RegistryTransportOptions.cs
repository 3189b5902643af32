namespace Promoter.Registry;

/// <summary>Settings of a <see cref="RegistryTransport"/>. Every member has a usable default.</summary>
public sealed class RegistryTransportOptions
{
    /// <summary>
    /// The most requests per second sent to one quota domain (<see cref="Domains"/>: by default one host as contacted,
    /// <c>host[:port]</c>, a token server being a host of its own; every Artifact Registry or gcr.io host of one Google
    /// project together) and to a declared domain without a rate of its own; default 50, kpromo's. 0 means unlimited.
    /// </summary>
    public int MaxRequestsPerSecond { get; init; } = 50;

    /// <summary>
    /// Which hosts (and repositories) share a quota, and so one rate limit and one cool-down; default
    /// <see cref="QuotaDomains.BuiltIn"/> (Google's registries by project, every other host alone).
    /// </summary>
    public QuotaDomains Domains { get; init; } = QuotaDomains.BuiltIn;

    /// <summary>
    /// When false (the default), loopback hosts (<c>127.*</c>, <c>localhost</c>, <c>[::1]</c>: registries a run or a test
    /// started on this machine) are not limited unless a declared domain claims them; when true,
    /// <see cref="MaxRequestsPerSecond"/> applies to them too.
    /// </summary>
    public bool LimitLoopback { get; init; }

    /// <summary>
    /// How long every request to a host waits after that host answered 429 without a <c>Retry-After</c> header (default 1 s).
    /// With the header, the cool-down lasts as long as the header asks.
    /// </summary>
    public TimeSpan DefaultCoolDown { get; init; } = TimeSpan.FromSeconds(1);
}
