using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Registry;

namespace Cake.ImagePromoter;

/// <summary>The registry clients of one alias call: the caller's <see cref="ImagePromoterSettings.Registries"/>, or a pool
/// made from the settings and disposed when the call ends.</summary>
internal sealed class RegistryScope : IDisposable
{
    private readonly bool _owned;

    private RegistryScope(RegistryPool pool, bool owned)
    {
        Pool = pool;
        _owned = owned;
    }

    public RegistryPool Pool { get; }

    public static RegistryScope Open(ICakeContext context, ImagePromoterSettings settings)
    {
        if (settings.Registries is { } given) return new RegistryScope(given, owned: false);
        var log = context.Log;
        var transport = settings.MaxRequestsPerSecond is { } rate
            ? new RegistryTransportOptions { MaxRequestsPerSecond = rate, LimitLoopback = true }
            : null;
        var pool = RegistryPool.Default(message => log.Verbose("registry: {0}", message), settings.RegistryTimeout, null, transport,
            settings.RetryBudget, message => log.Warning("registry: {0}", message));
        foreach (var (host, address) in settings.RegistryAliases) pool.Alias(host, new RegistryEndpoint(address));
        foreach (var (host, folder) in settings.RegistryStorage)
            pool.Alias(host, pool.Resolve(host) with { StorageRoot = folder.MakeAbsolute(context.Environment).FullPath });
        return new RegistryScope(pool, owned: true);
    }

    public void Dispose()
    {
        if (_owned) Pool.Dispose();
    }
}
