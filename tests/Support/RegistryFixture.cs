using System.Net;
using Promoter.Registry;
using Xunit;

namespace Promoter.Tests.Support;

/// <summary>
/// The registry fixture of every test: starts real CNCF Distribution registries (<see cref="TestRegistry"/>, one by
/// default) for a test class or collection, all at once, and stops them afterwards. Use it with
/// <c>IClassFixture&lt;RegistryFixture&gt;</c>, or with a subclass that passes a count or options (xunit needs one
/// concrete type per fixture); give each test its own repository names (<see cref="NewRepository"/>, <see cref="Unique"/>)
/// since the registries are shared by the tests of the class.
/// </summary>
public class RegistryFixture : IAsyncLifetime
{
    private readonly IReadOnlyList<RegistryOptions> _options;
    private IReadOnlyList<TestRegistry>? _registries;
    private RegistryClient? _client;
    private int _counter;

    /// <summary>One open registry on 127.0.0.1.</summary>
    public RegistryFixture() : this(1) { }

    /// <summary><paramref name="count"/> registries, each configured by <paramref name="options"/> (open on 127.0.0.1 when null).</summary>
    protected RegistryFixture(int count, RegistryOptions? options = null) : this(Enumerable.Repeat(options ?? new RegistryOptions(), count).ToArray()) { }

    /// <summary>One registry per entry of <paramref name="options"/>, configured by it.</summary>
    protected RegistryFixture(params RegistryOptions[] options) => _options = options;

    /// <summary>The running registries, in the order of the constructor's count or options.</summary>
    public IReadOnlyList<TestRegistry> Registries => _registries ?? throw new InvalidOperationException("The registry fixture has not started.");

    /// <summary>The registry at <paramref name="index"/> (0-based).</summary>
    public TestRegistry this[int index] => Registries[index];

    /// <summary>The first registry.</summary>
    public TestRegistry Registry => Registries[0];

    /// <summary>The first registry's host, e.g. <c>127.0.0.1:40123</c>.</summary>
    public string Host => Registry.Host;

    /// <summary>A client of the first registry with the default options, shared by the tests (disposed with the fixture).</summary>
    public RegistryClient Client => _client ??= Registry.CreateClient();

    /// <summary>A client of the first registry with fast retries (1 ms base delay) unless <paramref name="options"/> says otherwise.</summary>
    public RegistryClient CreateClient(RegistryClientOptions? options = null) => CreateClient(0, options);

    /// <summary>A client of registry <paramref name="index"/> with fast retries (1 ms base delay) unless <paramref name="options"/> says otherwise.</summary>
    public RegistryClient CreateClient(int index, RegistryClientOptions? options = null) =>
        Registries[index].CreateClient(options ?? new RegistryClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1) });

    /// <summary>A repository name no other test of this fixture uses, e.g. <c>test/push-3</c>.</summary>
    public string NewRepository(string prefix) => $"test/{Unique(prefix)}";

    /// <summary>A name no other test of this fixture uses, e.g. <c>copy-3</c>.</summary>
    public string Unique(string prefix) => $"{prefix}-{Interlocked.Increment(ref _counter)}";

    /// <inheritdoc />
    public virtual async Task InitializeAsync() => _registries = await TestRegistry.StartAllAsync(_options);

    /// <inheritdoc />
    public virtual Task DisposeAsync()
    {
        _client?.Dispose();
        foreach (var registry in _registries ?? []) registry.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Two open registries, e.g. the source and the destination of cross-registry copies.</summary>
public class TwoRegistries() : RegistryFixture(2)
{
    /// <summary>The first registry (the source of cross-registry copies).</summary>
    public TestRegistry First => this[0];

    /// <summary>The second registry.</summary>
    public TestRegistry Second => this[1];
}

/// <summary>Three open registries: a source, a destination and a third one (another destination, or one nothing names).</summary>
public class ThreeRegistries() : RegistryFixture(3)
{
    /// <summary>The first registry.</summary>
    public TestRegistry Source => this[0];

    /// <summary>The second registry.</summary>
    public TestRegistry Destination => this[1];

    /// <summary>The third registry.</summary>
    public TestRegistry Third => this[2];
}

/// <summary>Addresses of loopback registries besides 127.0.0.1.</summary>
public static class LoopbackAddresses
{
    /// <summary>127.0.0.<paramref name="last"/> (Linux routes all of 127/8 to the loopback interface).</summary>
    public static IPAddress Of(int last) => IPAddress.Parse($"127.0.0.{last}");
}
