using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;

namespace Build;

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
    /// A pool logging retries at verbose verbosity, with the host aliases of the <c>registry-aliases</c> setting
    /// (<c>host=address[,host=address...]</c>, e.g. <c>gcr.io=127.0.0.1:5000</c>) applied.
    /// </summary>
    /// <param name="log">Receives the pool's retry messages (verbose).</param>
    /// <param name="aliases">The <c>registry-aliases</c> setting, or null.</param>
    /// <param name="storage">The <c>registry-storage</c> setting, <c>host=folder[,host=folder...]</c>: the filesystem storage
    /// root of a CNCF Distribution registry on this machine, through which manifests no tag reaches (tagless images) are
    /// found when purging and snapshotting (the Distribution API cannot list them). Null for none.</param>
    /// <exception cref="CakeException">An alias is not <c>host=address</c>, or a storage entry is not <c>host=folder</c>
    /// with an existing folder.</exception>
    public Registries(ICakeLog log, string? aliases = null, string? storage = null)
    {
        _log = log;
        Pool = RegistryPool.Default(message => log.Verbose("registry: {0}", message));
        foreach (var alias in (aliases ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = alias.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new CakeException($"Setting 'registry-aliases': '{alias}' is not host=address.");
            Pool.Alias(parts[0], new RegistryEndpoint(parts[1]));
        }
        foreach (var entry in (storage ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new CakeException($"Setting 'registry-storage': '{entry}' is not host=folder.");
            if (!Directory.Exists(parts[1]))
                throw new CakeException($"Setting 'registry-storage': the storage folder '{parts[1]}' of {parts[0]} does not exist.");
            Pool.Alias(parts[0], Pool.Resolve(parts[0]) with { StorageRoot = Path.GetFullPath(parts[1]) });
        }
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
        var starts = Enumerable.Range(0, count).Select(_ => LocalRegistry.StartAsync()).ToList();
        try
        {
            Task.WhenAll(starts).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is not CakeException)
        {
            foreach (var started in starts.Where(t => t.IsCompletedSuccessfully)) started.Result.Dispose();
            throw new CakeException(exception.Message);
        }
        return starts.Select(t =>
        {
            var registry = t.Result;
            _started.Add(registry);
            _log.Information("Started a local registry at {0} (storage {1})", registry.Host, registry.StorageRoot);
            return new RegistryEndpoint(registry.Host, registry.StorageRoot);
        }).ToList();
    }

    /// <summary>
    /// The source registry name (<c>host[/prefix]</c>): the <c>registry</c> setting, or else a local registry started now
    /// with the path prefix <paramref name="defaultPrefix"/>.
    /// </summary>
    public string SourceRegistry(BuildContext context, string defaultPrefix)
    {
        if (_source is not null) return _source;
        if (context.Setting("registry") is { Length: > 0 } configured)
        {
            RegistryPath.Parse(configured);
            return _source = configured;
        }
        var endpoint = StartLocal();
        Pool.Alias(endpoint.Address, endpoint);
        return _source = $"{endpoint.Address}/{defaultPrefix}";
    }
    private string? _source;

    /// <inheritdoc />
    public void Dispose()
    {
        Pool.Dispose();
        Parallel.ForEach(_started, registry => registry.Dispose());
        _started.Clear();
    }
}
