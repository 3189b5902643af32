using Promoter.Registry;
using Xunit;

namespace Promoter.Tests.Support;

/// <summary>
/// Starts one real CNCF Distribution registry (<see cref="LocalRegistry"/>) for a test class and stops it afterwards.
/// Use it with <c>IClassFixture&lt;RegistryFixture&gt;</c>; give each test its own repository names (see
/// <see cref="NewRepository"/>) since the registry is shared by the tests of the class.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private LocalRegistry? _registry;
    private int _counter;

    /// <summary>The running registry.</summary>
    public LocalRegistry Registry => _registry ?? throw new InvalidOperationException("The registry fixture has not started.");

    /// <summary>The registry's host, e.g. <c>127.0.0.1:40123</c>.</summary>
    public string Host => Registry.Host;

    /// <summary>A client of the registry with fast retries (1 ms base delay) unless <paramref name="options"/> says otherwise.</summary>
    public RegistryClient CreateClient(RegistryClientOptions? options = null) =>
        Registry.CreateClient(options ?? new RegistryClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1) });

    /// <summary>A repository name no other test of this fixture uses, e.g. <c>test/push-3</c>.</summary>
    public string NewRepository(string prefix) => $"test/{prefix}-{Interlocked.Increment(ref _counter)}";

    /// <inheritdoc />
    public async Task InitializeAsync() => _registry = await LocalRegistry.StartAsync();

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        _registry?.Dispose();
        return Task.CompletedTask;
    }
}
