using Build.Tests.Golden;
using FluentAssertions;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using Promoter.Promotion.Registries;

namespace Build.Tests.E2E;

/// <summary>
/// Crash consistency as a tested property: the promoting process (the real build program, a child process) is killed
/// with SIGKILL at 20 points of a promotion, counted in requests it sent to the destination registry; each time a rerun
/// must converge to the snapshot of a clean run, and at the end no manifest in the destination may lack a blob or child.
/// </summary>
/// <remarks>Every run of the build program here is a child process (none borrows this process's console), so the class
/// is not in the host collection and runs beside the other classes: its kill points are counted in requests, not time.</remarks>
public sealed class CrashConsistencyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Bar = GoldenDigests.Upstream.Bar;
    private const string FooList = GoldenDigests.Upstream.FooList;
    private const string FooAmd64 = GoldenDigests.Upstream.FooAmd64;
    private const string FooS390x = GoldenDigests.Upstream.FooS390x;
    private const string FooTagless = GoldenDigests.Upstream.FooTagless;

    private TestRegistry _source = null!;
    private TestRegistry _destination = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("crash-").FullName;

    public async Task InitializeAsync()
    {
        var started = await TestRegistry.StartAllAsync(2);
        (_source, _destination) = (started[0], started[1]);
        var seeded = BuildProgram.RunProcess("--target", "PushSrc", $"--registry={_source.Host}/stg", $"--golden={BuildProgram.UpstreamGoldenSet}");
        seeded.ExitCode.Should().Be(0, seeded.Combined);
    }

    public Task DisposeAsync()
    {
        _source.Dispose();
        _destination.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_kill_of_the_promoting_process_converges_on_the_rerun_and_leaves_no_manifest_without_its_blobs()
    {
        using var pool = new RegistryPool(_ => new RegistryClientOptions());
        pool.Alias(_destination.Host, new RegistryEndpoint(_destination.Host, _destination.StorageRoot));

        var clean = Promote("prod-clean", _destination.Host, killAfterRequests: null);
        clean.ExitCode.Should().Be(0, clean.Output);
        var expected = (await RegistrySnapshotter.TakeAsync(pool, $"{_destination.Host}/prod-clean")).ToText();
        expected.Should().Contain(FooTagless).And.Contain(Bar);

        var killed = 0;
        var converged = 0;
        var points = Enumerable.Range(0, 20).Select(i => 1 + i * 3).ToList(); // requests 1, 4, ..., 58
        foreach (var point in points)
        {
            var prefix = $"prod-kill-{point}";
            using var proxy = new FaultProxy(_destination.Host);
            var run = Promote(prefix, $"127.0.0.1:{proxy.Port}", killAfterRequests: point, proxy);
            if (run.Killed) killed++;

            proxy.Clear();
            var rerun = Promote(prefix, $"127.0.0.1:{proxy.Port}", killAfterRequests: null);
            rerun.ExitCode.Should().Be(0, $"the rerun after a kill at request {point} must converge:\n{rerun.Output}");
            var actual = (await RegistrySnapshotter.TakeAsync(pool, $"{_destination.Host}/{prefix}")).ToText();
            actual.Should().Be(expected, $"after a kill at request {point} and a rerun");
            converged++;
            output.WriteLine($"kill at request {point}: {(run.Killed ? "killed" : "finished first")}, {proxy.Requests.Count} request(s) seen, rerun converged");
        }

        using var client = _destination.CreateClient();
        var incomplete = await RegistryChecks.IncompleteManifestsAsync(client, _destination.StorageRoot);
        var manifests = await RegistryChecks.ManifestsUnderAsync(client, _destination.StorageRoot, "prod-kill-1");
        output.WriteLine($"kill points {points.Count}, killed mid-run {killed}, reruns converged {converged}, incomplete manifests {incomplete.Count}");
        incomplete.Should().BeEmpty();
        killed.Should().BeGreaterThan(points.Count / 2, "most points fall inside the promotion");
        manifests.Should().NotBeEmpty();
    }

    [Fact]
    public async Task Every_crash_of_the_destination_registry_converges_on_the_rerun_and_leaves_no_manifest_without_its_blobs()
    {
        using var pool = new RegistryPool(_ => new RegistryClientOptions());
        pool.Alias(_destination.Host, new RegistryEndpoint(_destination.Host, _destination.StorageRoot));
        var clean = Promote("prod-reg-clean", _destination.Host, killAfterRequests: null);
        clean.ExitCode.Should().Be(0, clean.Output);
        var expected = (await RegistrySnapshotter.TakeAsync(pool, $"{_destination.Host}/prod-reg-clean")).ToText();

        var crashed = 0;
        var points = Enumerable.Range(0, 20).Select(i => 2 + i * 3).ToList(); // requests 2, 5, ..., 59
        foreach (var point in points)
        {
            var prefix = $"prod-crash-{point}";
            using var proxy = new FaultProxy(_destination.Host);
            Task restart = Task.CompletedTask;
            FaultRule? crash = null;
            var manifest = WriteManifest(prefix, $"127.0.0.1:{proxy.Port}");
            using (var process = StartPromote(manifest))
            {
                proxy.Add(crash = KillAt(point, () => restart = _destination.CrashAndRestartAsync()));
                var finished = await WaitAsync(process);
                finished.Should().BeTrue("a promotion whose registry crashed still ends (it fails or its retries get through)");
            }
            await restart;
            if (crash?.Caught > 0) crashed++;

            proxy.Clear();
            var rerun = Promote(prefix, $"127.0.0.1:{proxy.Port}", killAfterRequests: null);
            rerun.ExitCode.Should().Be(0, $"the rerun after a registry crash at request {point} must converge:\n{rerun.Output}");
            (await RegistrySnapshotter.TakeAsync(pool, $"{_destination.Host}/{prefix}")).ToText().Should().Be(expected, $"after a registry crash at request {point}");
            output.WriteLine($"registry crash at request {point}: {(crash?.Caught > 0 ? "crashed" : "finished first")}, rerun converged");
        }

        using var client = _destination.CreateClient();
        var incomplete = await RegistryChecks.IncompleteManifestsAsync(client, _destination.StorageRoot);
        output.WriteLine($"registry crash points {points.Count}, crashed mid-run {crashed}, reruns converged {points.Count}, incomplete manifests {incomplete.Count}");
        incomplete.Should().BeEmpty();
        crashed.Should().BeGreaterThan(points.Count / 2);
    }

    /// <summary>What a kill of Distribution mid-write can leave in its filesystem storage (measured with Distribution 2.8).</summary>
    public enum Damage
    {
        /// <summary><c>blobs/sha256/XX/HEX/data</c> of a layer truncated to 0 bytes (needs the storage repair: Distribution keeps it).</summary>
        BlobData,

        /// <summary><c>blobs/sha256/XX/HEX/data</c> of a manifest truncated to 0 bytes (likewise).</summary>
        ManifestData,

        /// <summary>A repository's <c>_layers/sha256/HEX/link</c> emptied.</summary>
        LayerLink,

        /// <summary>A repository's <c>_manifests/revisions/sha256/HEX/link</c> emptied.</summary>
        RevisionLink,

        /// <summary>A tag's <c>_manifests/tags/TAG/current/link</c> emptied.</summary>
        TagLink,
    }

    [Fact]
    public async Task Every_kill_that_damages_the_registry_storage_converges_on_the_rerun_of_PushSrc_and_Promote_with_the_repairs_reported()
    {
        using var pool = new RegistryPool(_ => new RegistryClientOptions());
        pool.Alias(_source.Host, new RegistryEndpoint(_source.Host, _source.StorageRoot));
        pool.Alias(_destination.Host, new RegistryEndpoint(_destination.Host, _destination.StorageRoot));
        var pushed = (await RegistrySnapshotter.TakeAsync(pool, $"{_source.Host}/stg")).ToText();
        var clean = Promote("prod-dmg-clean", _destination.Host, killAfterRequests: null);
        clean.ExitCode.Should().Be(0, clean.Output);
        var expected = (await RegistrySnapshotter.TakeAsync(pool, $"{_destination.Host}/prod-dmg-clean")).ToText();

        var points = 0;
        var converged = 0;
        var reported = 0;
        foreach (var damage in Enum.GetValues<Damage>())
        {
            // PushSrc: a push into the source registry whose storage a crash damaged.
            points++;
            var storageRepairs = await DamageAsync(_source, "stg", damage);
            var push = BuildProgram.RunProcess("--target", "PushSrc", $"--registry={_source.Host}/stg", $"--golden={BuildProgram.UpstreamGoldenSet}");
            push.ExitCode.Should().Be(0, $"the PushSrc rerun after {damage} must converge:\n{push.Combined}");
            (await RegistrySnapshotter.TakeAsync(pool, $"{_source.Host}/stg")).ToText().Should().Be(pushed, $"PushSrc after {damage}");
            await AllServedAsync(_source, "stg");
            Skopeo($"{_source.Host}/stg/golden-bar/bar:1.0");
            converged++;
            var repairs = Repairs(push.Combined).Concat(storageRepairs).ToList();
            if (repairs.Count > 0) reported++;
            output.WriteLine($"PushSrc, {damage}: converged; repairs: {string.Join(" | ", repairs)}");

            // Promote: the promoting process killed mid-run, then the destination's storage damaged.
            points++;
            var prefix = $"prod-dmg-{damage.ToString().ToLowerInvariant()}";
            using var proxy = new FaultProxy(_destination.Host);
            var killed = Promote(prefix, $"127.0.0.1:{proxy.Port}", killAfterRequests: 45, proxy);
            proxy.Clear();
            if (Target(_destination, prefix, damage) is null)
                Promote(prefix, $"127.0.0.1:{proxy.Port}", killAfterRequests: null).ExitCode.Should().Be(0); // the kill came before anything of that kind
            output.WriteLine($"Promote, {damage}: damaging {Path.GetRelativePath(_destination.StorageRoot, Target(_destination, prefix, damage)!)}");
            storageRepairs = await DamageAsync(_destination, prefix, damage);
            // The run after a registry crash checks what is already promoted too: a damaged blob link under a tag in place
            // answers no manifest HEAD the plan sends.
            var rerun = Promote(prefix, $"127.0.0.1:{proxy.Port}", killAfterRequests: null, verifyDestination: true);
            rerun.ExitCode.Should().Be(0, $"the Promote rerun after {damage} must converge:\n{rerun.Output}");
            (await RegistrySnapshotter.TakeAsync(pool, $"{_destination.Host}/{prefix}")).ToText().Should().Be(expected, $"Promote after {damage}");
            await AllServedAsync(_destination, prefix);
            Skopeo($"{_destination.Host}/{prefix}/golden-bar/bar:1.0");
            converged++;
            repairs = Repairs(rerun.Output).Concat(storageRepairs).ToList();
            if (repairs.Count > 0) reported++;
            else output.WriteLine($"no repair reported by the rerun:\n{rerun.Output}");
            output.WriteLine($"Promote, {damage} ({(killed.Killed ? "killed" : "finished first")}): converged; repairs: {string.Join(" | ", repairs)}");
        }

        output.WriteLine($"damage points {points}, reruns converged {converged}, points with repairs reported {reported}");
        converged.Should().Be(points);
        reported.Should().Be(points, "every damage is repaired, and every repair is reported");
    }

    /// <summary>
    /// Damages the first file of <paramref name="damage"/>'s kind under <paramref name="prefix"/>: links while the registry
    /// runs (the registry client must repair them); data files while it is down, restarting it with the storage repair
    /// (Distribution keeps an existing data file, so only the storage repair can remove it). Returns the storage repairs.
    /// </summary>
    private static async Task<IReadOnlyList<string>> DamageAsync(TestRegistry registry, string prefix, Damage damage)
    {
        var target = Target(registry, prefix, damage) ?? throw new InvalidOperationException($"nothing to damage ({damage}) under {prefix}");
        if (damage is Damage.LayerLink or Damage.RevisionLink or Damage.TagLink)
        {
            await File.WriteAllBytesAsync(target, []);
            return [];
        }
        registry.Crash();
        await File.WriteAllBytesAsync(target, []);
        await registry.RestartAsync(repairStorage: true);
        registry.StorageRepairs.Should().NotBeEmpty($"the 0-byte {target} is found");
        return registry.StorageRepairs.Select(r => $"storage of {registry.Host}: {r}").ToList();
    }

    /// <summary>The file <paramref name="damage"/> would damage under the repositories starting with <paramref name="prefix"/>, or null.</summary>
    private static string? Target(TestRegistry registry, string prefix, Damage damage)
    {
        var v2 = Path.Combine(registry.StorageRoot, "docker", "registry", "v2");
        var repositories = Path.Combine(v2, "repositories", prefix);
        if (!Directory.Exists(repositories)) return null;
        var links = Directory.EnumerateFiles(repositories, "link", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        string? Data(string? link) =>
            link is null ? null : Path.Combine(v2, "blobs", "sha256", Path.GetFileName(Path.GetDirectoryName(link))![..2], Path.GetFileName(Path.GetDirectoryName(link))!, "data");
        var sep = Path.DirectorySeparatorChar;
        // A layer of one repository only: a blob two repositories share may be mounted into the damaged one from the other
        // (one request, no HEAD: the run already holds it), which rewrites the link without seeing the damage, so whether
        // that repair is reported would depend on which copy of the rerun comes first.
        var layerLinks = links.Where(l => l.Contains($"{sep}_layers{sep}")).ToList();
        var layer = layerLinks.FirstOrDefault(l => new FileInfo(Data(l)!) is { Exists: true, Length: > 1000 }
                                                   && layerLinks.Count(o => Path.GetFileName(Path.GetDirectoryName(o)) == Path.GetFileName(Path.GetDirectoryName(l))) == 1);
        var revision = links.FirstOrDefault(l => l.Contains($"{sep}_manifests{sep}revisions{sep}"));
        return damage switch
        {
            Damage.BlobData => Data(layer),
            Damage.ManifestData => Data(revision) is { } data && File.Exists(data) ? data : null,
            Damage.LayerLink => layer,
            Damage.RevisionLink => revision,
            _ => links.FirstOrDefault(l => l.EndsWith($"{sep}current{sep}link", StringComparison.Ordinal)),
        };
    }

    /// <summary>The repairs the build program reported (<c>repaired ...</c> lines).</summary>
    private static IReadOnlyList<string> Repairs(string output) =>
        output.Split('\n').Where(l => l.Contains("repaired ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();

    /// <summary>Every manifest under <paramref name="prefix"/> is served by digest, and every blob of it with its size and digest.</summary>
    private static async Task AllServedAsync(TestRegistry registry, string prefix)
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
    private void Skopeo(string reference)
    {
        var folder = Path.Combine(_folder, "skopeo-" + Guid.NewGuid().ToString("N"));
        ExternalTool.Run("skopeo", ["copy", "--src-tls-verify=false", $"docker://{reference}", $"dir:{folder}"],
            new ToolOptions { Timeout = TimeSpan.FromSeconds(60) }).EnsureSuccess();
        Directory.Delete(folder, recursive: true);
    }

    private string WriteManifest(string prefix, string destinationHost)
    {
        var manifest = Path.Combine(_folder, $"{prefix}-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(manifest, $"""
            registries:
            - name: {_source.Host}/stg
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

    private static RunningTool StartPromote(string manifest) =>
        BuildProgram.StartProcess(["--target", "Promote", $"--manifest={manifest}", "--confirm", "--verbosity", "minimal"]);

    private static async Task<bool> WaitAsync(RunningTool process)
    {
        try { await process.WaitAsync(TimeSpan.FromMinutes(3)); return true; }
        catch (ExternalToolException) { return false; } // killed when the time ran out
    }

    private (int ExitCode, string Output, bool Killed) Promote(string prefix, string destinationHost, int? killAfterRequests, FaultProxy? proxy = null,
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
    private static FaultRule KillAt(int request, Action kill) => new("^", FaultKind.Drop, 1) { Skip = request - 1, Then = kill };
}
