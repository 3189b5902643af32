using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Promotion.Registries;
using Promoter.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Build.Tests.Tasks.Promote.CrashConsistency;

/// <summary>Registry storage damaged as a kill mid-write leaves it, for PushSrc and Promote; each rerun converges and reports its repairs.</summary>
[LongRunning]
public sealed class StorageDamageTests(ITestOutputHelper output) : CrashScenario(output)
{
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
        using var pool = Pool();
        var pushed = (await RegistrySnapshotter.TakeAsync(pool, $"{Source.Host}/stg")).ToText();
        var expected = await CleanRunAsync("prod-dmg-clean");

        var points = 0;
        var converged = 0;
        var reported = 0;
        foreach (var damage in Enum.GetValues<Damage>())
        {
            // PushSrc: a push into the source registry whose storage a crash damaged.
            points++;
            var storageRepairs = await DamageAsync(Source, "stg", damage);
            var push = BuildProgram.RunProcess("--target", "PushSrc", $"--registry={Source.Host}/stg", $"--golden={BuildProgram.UpstreamGoldenSet}");
            push.ExitCode.Should().Be(0, $"the PushSrc rerun after {damage} must converge:\n{push.Combined}");
            (await RegistrySnapshotter.TakeAsync(pool, $"{Source.Host}/stg")).ToText().Should().Be(pushed, $"PushSrc after {damage}");
            await AllServedAsync(Source, "stg");
            Skopeo($"{Source.Host}/stg/golden-bar/bar:1.0");
            converged++;
            var repairs = Repairs(push.Combined).Concat(storageRepairs).ToList();
            if (repairs.Count > 0) reported++;
            Output.WriteLine($"PushSrc, {damage}: converged; repairs: {string.Join(" | ", repairs)}");

            // Promote: the promoting process killed mid-run, then the destination's storage damaged.
            points++;
            var prefix = $"prod-dmg-{damage.ToString().ToLowerInvariant()}";
            using var proxy = new FaultProxy(Destination.Host);
            var killed = Promote(prefix, $"127.0.0.1:{proxy.Port}", killAfterRequests: 45, proxy);
            proxy.Clear();
            if (Target(Destination, prefix, damage) is null)
                Promote(prefix, $"127.0.0.1:{proxy.Port}", killAfterRequests: null).ExitCode.Should().Be(0); // the kill came before anything of that kind
            Output.WriteLine($"Promote, {damage}: damaging {Path.GetRelativePath(Destination.StorageRoot, Target(Destination, prefix, damage)!)}");
            storageRepairs = await DamageAsync(Destination, prefix, damage);
            // The run after a registry crash checks what is already promoted too: a damaged blob link under a tag in place
            // answers no manifest HEAD the plan sends.
            var rerun = Promote(prefix, $"127.0.0.1:{proxy.Port}", killAfterRequests: null, verifyDestination: true);
            rerun.ExitCode.Should().Be(0, $"the Promote rerun after {damage} must converge:\n{rerun.Output}");
            (await RegistrySnapshotter.TakeAsync(pool, $"{Destination.Host}/{prefix}")).ToText().Should().Be(expected, $"Promote after {damage}");
            await AllServedAsync(Destination, prefix);
            Skopeo($"{Destination.Host}/{prefix}/golden-bar/bar:1.0");
            converged++;
            repairs = Repairs(rerun.Output).Concat(storageRepairs).ToList();
            if (repairs.Count > 0) reported++;
            else Output.WriteLine($"no repair reported by the rerun:\n{rerun.Output}");
            Output.WriteLine($"Promote, {damage} ({(killed.Killed ? "killed" : "finished first")}): converged; repairs: {string.Join(" | ", repairs)}");
        }

        Output.WriteLine($"damage points {points}, reruns converged {converged}, points with repairs reported {reported}");
        converged.Should().Be(points);
        reported.Should().Be(points, "every damage is repaired, and every repair is reported");
    }

    /// <summary>
    /// Damages the first file of <paramref name="damage"/>'s kind under <paramref name="prefix"/>: links while the registry
    /// runs (the registry client must repair them); data files while it is down, restarting it with the storage repair
    /// (Distribution keeps an existing data file, so only the storage repair can remove it). Returns the storage repairs.
    /// </summary>
    private async Task<IReadOnlyList<string>> DamageAsync(TestRegistry registry, string prefix, Damage damage)
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
    private string? Target(TestRegistry registry, string prefix, Damage damage)
    {
        var v2 = Path.Combine(registry.StorageRoot, "docker", "registry", "v2");
        var repositories = Path.Combine(v2, "repositories", prefix);
        if (!Directory.Exists(repositories)) return null;
        var links = Directory.EnumerateFiles(repositories, "link", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        string? Data(string? link) =>
            link is null ? null : Path.Combine(v2, "blobs", "sha256", Path.GetFileName(Path.GetDirectoryName(link))![..2], Path.GetFileName(Path.GetDirectoryName(link))!, "data");
        var sep = Path.DirectorySeparatorChar;
        // A layer of one repository of the golden set only: a blob two repositories share may be mounted into the damaged
        // one from the other (one request, no HEAD: the run already holds it), which rewrites the link without seeing the
        // damage, so whether that repair is reported would depend on which copy of the rerun comes first. Sharing is read
        // from the source, which holds every image: a killed run may have copied a shared layer into one repository only.
        var shared = SharedLayers();
        var layer = links.Where(l => l.Contains($"{sep}_layers{sep}"))
            .FirstOrDefault(l => new FileInfo(Data(l)!) is { Exists: true, Length: > 1000 } && !shared.Contains(Path.GetFileName(Path.GetDirectoryName(l))!));
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

    /// <summary>The layer digests (hex) that more than one repository of the seeded source holds.</summary>
    private HashSet<string> SharedLayers()
    {
        var repositories = Path.Combine(Source.StorageRoot, "docker", "registry", "v2", "repositories", "stg");
        var sep = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(repositories, "link", SearchOption.AllDirectories)
            .Where(l => l.Contains($"{sep}_layers{sep}"))
            .Select(l => (Repository: l[..l.IndexOf($"{sep}_layers{sep}", StringComparison.Ordinal)], Digest: Path.GetFileName(Path.GetDirectoryName(l))!))
            .GroupBy(l => l.Digest)
            .Where(g => g.Select(l => l.Repository).Distinct().Count() > 1)
            .Select(g => g.Key)
            .ToHashSet();
    }

    /// <summary>The repairs the build program reported (<c>repaired ...</c> lines).</summary>
    private static IReadOnlyList<string> Repairs(string output) =>
        output.Split('\n').Where(l => l.Contains("repaired ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
}
