using System.Collections.Concurrent;
using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>
/// One <see cref="RegistryClient"/> per registry host, shared by every operation of a run. A host may be aliased to
/// another address (an end-to-end run serves <c>gcr.io</c>, <c>us.gcr.io</c>, ... from local registry processes, so the
/// upstream test files run unchanged and hermetically). Loopback addresses use plain http; credentials come from
/// docker's config.json and its helpers, or Google's access tokens (<see cref="DockerKeychain"/>), for the address contacted.
/// </summary>
public sealed class RegistryPool : IDisposable
{
    private readonly ConcurrentDictionary<string, RegistryClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, RegistryEndpoint> _aliases = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<string, RegistryClientOptions> _options;
    private readonly List<IDisposable> _owned = [];

    /// <summary>A pool whose clients take their options from <paramref name="options"/> (per contacted address) and send
    /// through one shared <paramref name="transport"/> (null: a transport with the default settings, owned by the pool),
    /// unless an options object names a transport of its own.</summary>
    public RegistryPool(Func<string, RegistryClientOptions> options, RegistryTransport? transport = null)
    {
        _options = options;
        Transport = transport ?? new RegistryTransport();
        if (transport is null) _owned.Add(Transport);
    }

    /// <summary>The transport the pool's clients share: per-host rate limits, cool-downs and request counts
    /// (<see cref="RegistryTransport.Traffic"/>, <see cref="RegistryTransport.Total"/>).</summary>
    public RegistryTransport Transport { get; }

    /// <summary>The requests sent so far to every host, with retries, 429s, 5xx, failures and waits (see <see cref="HostTraffic"/>).</summary>
    public IReadOnlyList<HostTraffic> Traffic() => Transport.Traffic();

    /// <summary>
    /// A pool with credentials found as docker, crane and kpromo find them (<see cref="DockerKeychain"/> over the default
    /// docker config, then <see cref="GoogleCredentials"/> for Google's registries: gcloud, else the metadata server),
    /// looked up for the address contacted and only once a registry asks; http for loopback addresses; an optional log.
    /// </summary>
    /// <param name="log">Receives the clients' retry and token lines and why no Google token was found (never a credential).</param>
    /// <param name="readTimeout">The clients' <see cref="RegistryClientOptions.ReadTimeout"/> (connecting may take at most 30 s
    /// of it); null for the default.</param>
    /// <param name="metadataServer">The GCE/GKE metadata server's base address; null for <see cref="MetadataServerAccessToken.DefaultAddress"/>.</param>
    /// <param name="transport">The transport's settings (rate limit per host); null for the defaults (50 requests/s per non-loopback host).</param>
    /// <param name="retryBudget">The clients' <see cref="RegistryClientOptions.RetryBudget"/>; null for the default (12 minutes).</param>
    /// <exception cref="FormatException">The docker config.json is not valid.</exception>
    /// <exception cref="Promoter.Inputs.InputFileException">The docker config.json is not a regular file, or too large.</exception>
    /// <param name="report">Receives the repairs of content a registry did not serve correctly (<see cref="RegistryClientOptions.Report"/>);
    /// null: they go to <paramref name="log"/>.</param>
    public static RegistryPool Default(Action<string>? log = null, TimeSpan? readTimeout = null, Uri? metadataServer = null,
        RegistryTransportOptions? transport = null, TimeSpan? retryBudget = null, Action<string>? report = null)
    {
        var config = DockerConfig.LoadDefault();
        var metadata = new MetadataServerAccessToken(metadataServer);
        var keychain = new DockerKeychain(config, new GoogleCredentials(new GcloudAccessToken(), metadata, log));
        var defaults = new RegistryClientOptions();
        var read = readTimeout ?? defaults.ReadTimeout;
        var budget = retryBudget ?? defaults.RetryBudget;
        RegistryPool? pool = null;
        pool = new RegistryPool(address => new RegistryClientOptions
        {
            RetryBudget = budget,
            Insecure = IsLoopback(address),
            CredentialSource = pool?.PreferredCredentials is { } preferred ? new ChainedCredentialSource(preferred, keychain) : keychain,
            Log = log,
            Report = report,
            ReadTimeout = read,
            ConnectTimeout = read < defaults.ConnectTimeout ? read : defaults.ConnectTimeout,
        }, new RegistryTransport(transport));
        pool._owned.Add(pool.Transport);
        pool._owned.Add(metadata);
        return pool;
    }

    /// <summary>
    /// Asked before the docker keychain by the clients <see cref="Default"/> creates from now on (set it before the first
    /// request): <see cref="ServiceAccountCredentials"/> for <c>--use-service-account</c>. Null for none.
    /// </summary>
    public ICredentialSource? PreferredCredentials { get; set; }

    /// <summary>
    /// When true, only aliased hosts and loopback addresses may be contacted: <see cref="For"/> refuses any other host
    /// before a request is made. A hermetic test run sets it so that it can never reach a real registry.
    /// </summary>
    public bool Hermetic { get; set; }

    /// <summary>Serves <paramref name="host"/> from <paramref name="endpoint"/> from now on.</summary>
    public void Alias(string host, RegistryEndpoint endpoint) => _aliases[host] = endpoint;

    /// <summary>Where <paramref name="host"/> is served: its alias, or the host itself.</summary>
    public RegistryEndpoint Resolve(string host) => _aliases.TryGetValue(host, out var endpoint) ? endpoint : new RegistryEndpoint(host);

    /// <summary>The client for <paramref name="host"/> (<c>host[:port]</c>, resolved through the aliases), created on first use.</summary>
    /// <exception cref="RegistryNotServedException">The pool is <see cref="Hermetic"/> and the host is neither aliased nor loopback.</exception>
    public RegistryClient For(string host)
    {
        var address = Resolve(host).Address;
        if (Hermetic && !_aliases.ContainsKey(host) && !IsLoopback(address))
            throw new RegistryNotServedException(
                $"registry {host} is not served by a local registry of this run; a hermetic run never contacts other registries.");
        return _clients.GetOrAdd(address, a =>
        {
            var options = _options(a);
            return new RegistryClient(a, options.Transport is null ? options.WithTransport(Transport) : options);
        });
    }

    /// <summary>Requests sent so far by every client of the pool (<see cref="RegistryClient.RequestsSent"/>).</summary>
    public long RequestsSent => _clients.Values.Sum(c => c.RequestsSent);

    /// <summary>True when <paramref name="host"/> (<c>host[:port]</c>) parses (<see cref="RegistryHost"/>) and names a loopback
    /// address or localhost; false for anything that is not a plain host, user-info included.</summary>
    public static bool IsLoopback(string host) => RegistryHost.IsLoopbackHost(host);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
        _clients.Clear();
        foreach (var owned in _owned) owned.Dispose();
        _owned.Clear();
    }
}
