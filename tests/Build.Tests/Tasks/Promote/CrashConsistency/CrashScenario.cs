using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Registry;
using Promoter.Promotion.Registries;
using Promoter.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Build.Tests.Tasks.Promote.CrashConsistency;

/// <summary>
/// Crash consistency as a tested property, shared by three classes that run side by side: the promoting process (the
/// real build program, a child process) killed at points counted in requests it sent (<see cref="PromoterKillTests"/>),
/// the destination registry crashed likewise (<see cref="RegistryCrashTests"/>), and registry storage damaged as a kill
/// mid-write leaves it (<see cref="StorageDamageTests"/>); each time a rerun must converge to the snapshot of a clean run,
/// and no manifest may be left without a blob or child.
/// </summary>
/// <remarks>Each class starts its own source and destination registry and seeds the source with PushSrc. Every run of the
/// build program here is a child process, so the classes need no process-wide state and run beside the others: their
/// kill points are counted in requests, not time.</remarks>
public abstract class CrashScenario(ITestOutputHelper output) : IAsyncLifetime
{
    protected const string Bar = GoldenDigests.Upstream.Bar;
    protected const string FooList = GoldenDigests.Upstream.FooList;
    protected const string FooAmd64 = GoldenDigests.Upstream.FooAmd64;
    protected const string FooS390x = GoldenDigests.Upstream.FooS390x;
    protected const string FooTagless = GoldenDigests.Upstream.FooTagless;

    protected ITestOutputHelper Output { get; } = output;

    protected TestRegistry Source { get; private set; } = null!;

    protected TestRegistry Destination { get; private set; } = null!;

    private readonly string _folder = Directory.CreateTempSubdirectory("crash-").FullName;

    public async Task InitializeAsync()
    {
        var started = await TestRegistry.StartAllAsync(2);
        (Source, Destination) = (started[0], started[1]);
        var seeded = BuildProgram.RunProcess("--target", "PushSrc", $"--registry={Source.Host}/stg", $"--golden={BuildProgram.UpstreamGoldenSet}");
        seeded.ExitCode.Should().Be(0, seeded.Combined);
    }

    public Task DisposeAsync()
    {
        Source.Dispose();
        Destination.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Promotes the golden set into <c>Destination/prefix</c> with no fault; returns the snapshot every rerun must reach.</summary>
    protected async Task<string> CleanRunAsync(string prefix)
    {
        using var pool = Pool();
        var clean = Promote(prefix, Destination.Host, killAfterRequests: null);
        clean.ExitCode.Should().Be(0, clean.Output);
        return (await RegistrySnapshotter.TakeAsync(pool, $"{Destination.Host}/{prefix}")).ToText();
    }

    /// <summary>A pool that reads the destination (and the source) through their storage roots too.</summary>
    protected RegistryPool Pool()
    {
        var pool = new RegistryPool(_ => new RegistryClientOptions());
        pool.Alias(Source.Host, new RegistryEndpoint(Source.Host, Source.StorageRoot));
        pool.Alias(Destination.Host, new RegistryEndpoint(Destination.Host, Destination.StorageRoot));
        return pool;
    }

    /// <summary>How many kill points run at once: each point has its own prefix and proxy (and, for registry crashes, its
    /// worker's own destination registry), so points are independent; three keep two cores busy with the other classes.</summary>
    protected const int Workers = 3;

    /// <summary>Runs <paramref name="check"/> for every point, <see cref="Workers"/> at a time; worker w (0-based) takes
    /// points w, w + Workers, ... in order. The first failure fails the test once every worker has stopped.</summary>
    protected static Task ForEachPointAsync(IReadOnlyList<int> points, Func<int, int, Task> check) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var i = worker; i < points.Count; i += Workers) await check(worker, points[i]);
        })));

    /// <summary>Every manifest under <paramref name="prefix"/> is served by digest, and every blob of it with its size and digest.</summary>
    protected static async Task AllServedAsync(TestRegistry registry, string prefix)
    {
        using var client = registry.CreateClient();
        foreach (var manifest in await RegistryChecks.ManifestsUnderAsync(client, registry.StorageRoot, prefix))
        {
            var at = manifest.IndexOf('@');
            var (repository, digest) = (manifest[..at], manifest[(at + 1)..]);
            var document = (await client.GetManifestAsync(repository, digest)).Parse(manifest);
            foreach (var blob in document.Blobs)
            {
                await using var stream = await client.GetBlobAsync(repository, blob.ParsedDigest);
                var read = 0L;
                var buffer = new byte[81920];
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0) read += n; // the stream checks the digest at its end
                read.Should().Be(blob.Size, $"{manifest}: blob {blob.Digest}");
            }
        }
    }

    /// <summary><c>skopeo copy docker://reference dir:...</c>: the image is readable by another client, with its blobs.</summary>
    protected void Skopeo(string reference)
    {
        var folder = Path.Combine(_folder, "skopeo-" + Guid.NewGuid().ToString("N"));
        ExternalTool.Run("skopeo", ["copy", "--src-tls-verify=false", $"docker://{reference}", $"dir:{folder}"],
            new ToolOptions { Timeout = TimeSpan.FromSeconds(60) }).EnsureSuccess();
        Directory.Delete(folder, recursive: true);
    }

    protected string WriteManifest(string prefix, string destinationHost)
    {
        var manifest = Path.Combine(_folder, $"{prefix}-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(manifest, $"""
            registries:
            - name: {Source.Host}/stg
              src: true
            - name: {destinationHost}/{prefix}
            images:
            - name: golden-foo/foo
              dmap:
                "{FooList}": ["1.0"]
                "{FooAmd64}": ["1.0-linux_amd64"]
                "{FooS390x}": ["1.0-linux_s390x"]
                "{FooTagless}": []
            - name: golden-bar/bar
              dmap:
                "{Bar}": ["1.0"]
            """);
        return manifest;
    }

    protected static RunningTool StartPromote(string manifest) =>
        BuildProgram.StartProcess(["--target", "Promote", $"--manifest={manifest}", "--confirm", "--verbosity", "minimal"]);

    /// <summary>Waits up to 3 minutes for <paramref name="process"/>; its result, or null when the time ran out (it is then killed).</summary>
    protected static async Task<ToolResult?> WaitAsync(RunningTool process)
    {
        try { return await process.WaitAsync(TimeSpan.FromMinutes(3)); }
        catch (ExternalToolException) { return null; }
    }

    protected (int ExitCode, string Output, bool Killed) Promote(string prefix, string destinationHost, int? killAfterRequests, FaultProxy? proxy = null,
        bool verifyDestination = false)
    {
        var manifest = WriteManifest(prefix, destinationHost);
        using var process = BuildProgram.StartProcess(
            ["--target", "Promote", $"--manifest={manifest}", "--confirm", "--verbosity", "minimal", .. verifyDestination ? ["--verify-destination"] : Array.Empty<string>()]);
        var kill = killAfterRequests is { } limit ? KillAt(limit, process.Kill) : null; // SIGKILL: no cleanup
        if (kill is not null) proxy!.Add(kill);
        var result = process.Wait(TimeSpan.FromMinutes(2)); // a promotion of six images ends in two minutes
        var killed = kill?.Caught > 0;
        return (result.ExitCode, result.Combined, killed);
    }

    /// <summary>
    /// A fault that SIGKILLs a process (the promoter, or the registry itself) at the proxy's <paramref name="request"/>th
    /// request from now and drops that request's connection: the request that reaches the limit is not forwarded.
    /// </summary>
    protected static FaultRule KillAt(int request, Action kill) => new("^", FaultKind.Drop, 1) { Skip = request - 1, Then = kill };
}
