using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Registry;

namespace Build.Flows;

/// <summary>
/// The registries of one run: the shared <see cref="RegistryPool"/>, and the CNCF Distribution processes the pipeline
/// starts itself (on 127.0.0.1 and a free port, fresh storage, deletes enabled) when no registry is configured.
/// Everything started here is stopped at teardown.
/// </summary>
public sealed class Registries : IDisposable
{
    private readonly ICakeLog _log;
    private readonly List<LocalRegistry> _started = [];

    /// <summary>
    /// A pool logging retries at verbose verbosity, with the host aliases of <paramref name="settings"/> applied (e.g.
    /// <c>gcr.io</c> served from <c>127.0.0.1:5000</c>) and the storage roots it knows: the filesystem storage root of a
    /// CNCF Distribution registry on this machine, through which manifests no tag reaches (tagless images) are found when
    /// purging and snapshotting (the Distribution API cannot list them).
    /// </summary>
    /// <param name="log">Receives the pool's retry messages (verbose) and the start of local registries.</param>
    /// <param name="settings">Aliases, storage roots (folders checked by <see cref="BuildSettings.Registries"/>), the read timeout,
    /// the metadata server's address, the rate limit per host and the retry budget.</param>
    public Registries(ICakeLog log, RegistrySettings settings)
    {
        _log = log;
        Pool = RegistryPool.Default(message => log.Verbose("registry: {0}", message), settings.Timeout, settings.MetadataServer,
            new RegistryTransportOptions
            {
                MaxRequestsPerSecond = settings.MaxRequestsPerSecond,
                LimitLoopback = settings.LimitLoopback,
                Domains = settings.QuotaDomainsFile is { } domains ? QuotaDomains.Load(domains) : QuotaDomains.BuiltIn,
            },
            settings.RetryBudget, report: message => log.Warning("registry: {0}", message));
        foreach (var (host, address) in settings.Aliases) Pool.Alias(host, new RegistryEndpoint(address));
        foreach (var (host, folder) in settings.Storage) Pool.Alias(host, Pool.Resolve(host) with { StorageRoot = folder });
    }

    /// <summary>The clients of this run, one per registry host.</summary>
    public RegistryPool Pool { get; }

    /// <summary>
    /// Starts a Distribution process and returns its endpoint.
    /// </summary>
    /// <exception cref="CakeException">The registry binary is missing (the message gives the install command) or did not start.</exception>
    public RegistryEndpoint StartLocal() => StartLocal(1)[0];

    /// <summary>Starts <paramref name="count"/> Distribution processes at once and returns their endpoints.</summary>
    /// <exception cref="CakeException">The registry binary is missing (the message gives the install command) or a process did not start.</exception>
    public IReadOnlyList<RegistryEndpoint> StartLocal(int count)
    {
        // Each registry is kept (and so stopped at teardown or on a signal) the moment it is up, not when the batch is.
        var starts = Enumerable.Range(0, count).Select(_ => LocalRegistry.StartAsync().ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully) lock (_started) _started.Add(t.Result);
            return t;
        }, TaskScheduler.Default).Unwrap()).ToList();
        try
        {
            Task.WhenAll(starts).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is not CakeException)
        {
            throw new CakeException(exception.Message, exception);
        }
        return starts.Select(t =>
        {
            var registry = t.Result;
            _log.Information("Started a local registry at {0} (storage {1})", registry.Host, registry.StorageRoot);
            return new RegistryEndpoint(registry.Host, registry.StorageRoot);
        }).ToList();
    }

    /// <summary>
    /// The source registry name (<c>host[/prefix]</c>): <paramref name="configured"/> when given, or else a local registry
    /// started now (once per run) with the path prefix <paramref name="defaultPrefix"/>.
    /// </summary>
    /// <param name="configured">The configured source registry (already checked), or null.</param>
    /// <param name="defaultPrefix">The path prefix under a local registry, e.g. <c>k8s-staging-cip-test</c>.</param>
    public string SourceRegistry(string? configured, string defaultPrefix)
    {
        if (_source is not null) return _source;
        if (configured is not null) return _source = configured;
        var endpoint = StartLocal();
        Pool.Alias(endpoint.Address, endpoint);
        return _source = $"{endpoint.Address}/{defaultPrefix}";
    }
    private string? _source;

    /// <inheritdoc />
    /// <remarks>Safe to call twice and from two threads at once (teardown and a signal): the second call finds nothing left.</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        foreach (var host in Pool.Traffic())
            _log.Verbose("registry traffic {0}: {1}", host.Host, Describe(host));
        foreach (var domain in Pool.Transport.Domains().Where(d => d.Limit.Domain.Kind != QuotaDomainKind.Host))
            _log.Verbose("quota domain {0} ({1}; {2}): {3} requests, {4} x 429; waited {5:0.00} s in its rate limit", domain.Limit.Domain.Name,
                domain.Limit.Rates, string.Join(", ", domain.Hosts), domain.Requests, domain.TooManyRequests, domain.LimiterWait.TotalSeconds);
        Pool.Dispose();
        List<LocalRegistry> started;
        lock (_started)
        {
            started = _started.ToList();
            _started.Clear();
        }
        Parallel.ForEach(started, registry => registry.Dispose());
    }
    private int _disposed;

    /// <summary>One line of a host's request counts, e.g. <c>120 requests, 12 retries, 12 x 429, 0 x 5xx, 0 failed connections,
    /// 0 timeouts; waited 1.20 s in the rate limit, 2.50 s in cool-downs</c> (waits summed over requests).</summary>
    public static string Describe(HostTraffic traffic) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{traffic.Requests} requests, {traffic.Retries} retries, {traffic.TooManyRequests} x 429, {traffic.ServerErrors} x 5xx, " +
        $"{traffic.ConnectionFailures} failed connections, {traffic.Timeouts} timeouts; waited {traffic.LimiterWait.TotalSeconds:0.00} s " +
        $"in the rate limit, {traffic.CoolDownWait.TotalSeconds:0.00} s in cool-downs");
}
