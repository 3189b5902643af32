using System.Collections.Concurrent;
using Promoter.Registry;
using Promoter.Tests.Support;

namespace Promoter.Tests.Promotion.Engine;

/// <summary>
/// Two real CNCF Distribution registry processes shared by the tests of a class. Pools made by <see cref="NewPool"/>
/// serve <c>gcr.io</c> from the first and <c>us.gcr.io</c> from the second (with their storage roots), like the e2e
/// runner's aliases. Tests give their repositories unique prefixes (<see cref="RegistryFixture.Unique"/>).
/// </summary>
public sealed class EngineFixture : TwoRegistries
{
    /// <summary>The name served by <see cref="TwoRegistries.First"/>.</summary>
    public const string Staging = "gcr.io";

    /// <summary>The name served by <see cref="TwoRegistries.Second"/>.</summary>
    public const string Production = "us.gcr.io";

    /// <summary>
    /// A pool with the two aliases and fast retries; <paramref name="created"/> (when given) receives the address of every
    /// client the pool creates, i.e. every address it could ever send a request to. <paramref name="staging"/> and
    /// <paramref name="production"/> (when given) replace the registries' addresses, e.g. by a counting proxy's.
    /// </summary>
    public RegistryPool NewPool(ConcurrentQueue<string>? created = null, string? staging = null, string? production = null)
    {
        var pool = new RegistryPool(address =>
        {
            created?.Enqueue(address);
            return new RegistryClientOptions
            {
                Insecure = RegistryPool.IsLoopback(address),
                RetryBaseDelay = TimeSpan.FromMilliseconds(1),
                MaxRetries = 1,
                ReadTimeout = TimeSpan.FromSeconds(20),
            };
        });
        pool.Alias(Staging, new RegistryEndpoint(staging ?? First.Host, First.StorageRoot));
        pool.Alias(Production, new RegistryEndpoint(production ?? Second.Host, Second.StorageRoot));
        return pool;
    }
}
