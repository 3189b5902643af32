using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Registry;

namespace Build.Flows;

/// <summary>
/// <c>--use-service-account</c>: reads the <c>service-account:</c> of every registry of the manifests and makes the pool
/// ask <c>gcloud auth print-access-token --impersonate-service-account=SA</c> for the address each Google registry is
/// served from (<see cref="ServiceAccountCredentials"/>). kpromo passes the account to its gcloud calls; a token per
/// account is what those calls amount to for registry access.
/// </summary>
public static class ServiceAccounts
{
    /// <summary>Sets <see cref="RegistryPool.PreferredCredentials"/> from the manifests' registries.</summary>
    /// <param name="manifests">The manifests (a file's, or a thin directory's).</param>
    /// <param name="pool">The run's pool; no client of it may exist yet for these addresses.</param>
    /// <param name="log">Receives one line per account used and per account ignored (not a Google registry).</param>
    /// <exception cref="CakeException">Two registries served from one address name different accounts.</exception>
    public static void Use(IReadOnlyList<PromoterManifest> manifests, RegistryPool pool, ICakeLog log)
    {
        var accounts = new Dictionary<string, (string Account, string Registry)>(StringComparer.OrdinalIgnoreCase);
        foreach (var registry in manifests.SelectMany(m => m.Registries).Where(r => r.ServiceAccount is { Length: > 0 }))
        {
            var host = RegistryPath.Parse(registry.Name).Host;
            if (!GoogleCredentials.IsGoogleRegistry(host))
            {
                log.Warning("service-account {0} of {1} is not used: {2} is not a Google registry", registry.ServiceAccount!, registry.Name, host);
                continue;
            }
            var address = pool.Resolve(host).Address;
            if (accounts.TryGetValue(address, out var known) && known.Account != registry.ServiceAccount)
                throw new CakeException($"--use-service-account: {known.Registry} and {registry.Name} are both served from {address} " +
                                        $"but name different service accounts ({known.Account}, {registry.ServiceAccount}); one token per registry address can be used.");
            accounts[address] = (registry.ServiceAccount!, registry.Name);
        }
        foreach (var (address, (account, registry)) in accounts)
            log.Information("use-service-account: {0} ({1}) with gcloud --impersonate-service-account={2}", registry, address, account);
        pool.PreferredCredentials = new ServiceAccountCredentials(accounts.ToDictionary(a => a.Key, a => a.Value.Account, StringComparer.OrdinalIgnoreCase));
    }
}
