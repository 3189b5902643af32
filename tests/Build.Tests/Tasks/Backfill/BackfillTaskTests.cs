using System.Text;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Attachments;
using Promoter.Oci;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Build.Tests.Tasks.Backfill;

/// <summary>
/// The Backfill task through the real build program: five replicas, each its own Distribution process (a blob is deleted
/// in one registry's storage, so replicas cannot share a process), promoted from a source registry seeded with upstream's
/// golden set and a cosign signature of bar. Damage in three replicas - a missing tag, a missing .sig, a missing manifest, a
/// missing blob, a tag on another digest - is listed exactly by the dry run; --confirm repairs all but the tag move from
/// healthy replicas; a rerun lists only the tag move; and a sixth, empty replica is filled with the source registry stopped.
/// </summary>
public sealed class BackfillTaskTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Bar = GoldenDigests.Upstream.Bar;
    private const string FooAmd64 = GoldenDigests.Upstream.FooAmd64;
    private const string FooS390x = GoldenDigests.Upstream.FooS390x;
    private const string BarRepo = "prod/golden-bar/bar", FooRepo = "prod/golden-foo/foo";
    private TestRegistry _source = null!;
    private TestRegistry[] _replicas = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("backfill-").FullName;

    public async Task InitializeAsync()
    {
        var started = await TestRegistry.StartAllAsync(7);
        _source = started[0];
        _replicas = started[1..];
    }

    public Task DisposeAsync()
    {
        _source.Dispose();
        foreach (var replica in _replicas) replica.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private string Manifest(string name, int replicas)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, $"""
            registries:
            - name: {_source.Host}/stg
              src: true
            {string.Join("\n", _replicas.Take(replicas).Select(r => $"- name: {r.Host}/prod"))}
            images:
            - name: golden-bar/bar
              dmap:
                "{Bar}": ["1.0"]
            - name: golden-foo/foo
              dmap:
                "{FooIndex}": ["1.0"]
            """);
        return path;
    }

    private string FooIndex { get; set; } = "";

    private HostRunner.Result Run(string title, params string[] args)
    {
        var result = BuildProgram.Run(args);
        output.WriteLine($"===== {title} (exit {result.ExitCode})\n{result.Output}");
        return result;
    }

    /// <summary>The listing lines of a Backfill run (<c>  MISSING ...</c>, <c>  DIFFERS ...</c>) and the replica headers.</summary>
    private static List<string> Findings(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("  MISSING ", StringComparison.Ordinal) || l.StartsWith("  DIFFERS ", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task Damage_is_listed_repaired_from_healthy_replicas_but_a_tag_move_and_a_new_replica_is_filled_without_the_source()
    {
        var seeded = Run("PushSrc", "--target", "PushSrc", $"--registry={_source.Host}/stg", $"--golden={BuildProgram.UpstreamGoldenSet}");
        seeded.ExitCode.Should().Be(0, seeded.Output);
        using var source = _source.CreateClient();
        FooIndex = (await source.HeadManifestAsync("stg/golden-foo/foo", "1.0"))!.Digest.Value;
        var sigTag = AttachmentTags.For(Digest.Parse(Bar), AttachmentKind.Signature);
        var sig = await PushSignatureAsync(source, "stg/golden-bar/bar", Bar);

        var five = Manifest("five.yaml", 5);
        var promoted = Run("Promote into five replicas", "--target", "Promote", $"--manifest={five}", "--confirm");
        promoted.ExitCode.Should().Be(0, promoted.Output);
        var clients = _replicas.Select(r => r.CreateClient()).ToArray();
        try
        {
            foreach (var client in clients.Take(5))
                (await client.HeadManifestAsync(BarRepo, sigTag))!.Digest.Value.Should().Be(sig, "Promote carried the signature");
            var clean = Run("Backfill on five healthy replicas", "--target", "Backfill", $"--manifest={five}");
            clean.ExitCode.Should().Be(0, clean.Output);
            clean.Output.Should().Contain("backfill: 5 replica(s), ").And.Contain("the replicas agree");

            // The damage. r1: bar:1.0 untagged (its tag folder removed), bar's .sig deleted. r2: foo's s390x child deleted, a
            // blob only bar uses removed from the storage. r3: foo:1.0 put on the amd64 child.
            var (r1, r2, r3) = (_replicas[0], _replicas[1], _replicas[2]);
            Directory.Delete(Path.Combine(r1.StorageRoot, "docker", "registry", "v2", "repositories", BarRepo, "_manifests", "tags", "1.0"), recursive: true);
            await clients[0].DeleteManifestAsync(BarRepo, sig);
            var blob = await BarOnlyBlobAsync(clients[1]);
            await clients[1].DeleteManifestAsync(FooRepo, FooS390x);
            File.Delete(Path.Combine(r2.StorageRoot, "docker", "registry", "v2", "blobs", "sha256", blob.Digest.Hex[..2], blob.Digest.Hex, "data"));
            var amd64 = await clients[2].GetManifestAsync(FooRepo, FooAmd64);
            await clients[2].PutManifestAsync(FooRepo, "1.0", amd64.Bytes, amd64.MediaType);

            string[] damage =
            [
                $"  MISSING tag golden-bar/bar:1.0 ({Bar}): copy from {r3.Host}/prod",
                $"  MISSING attachment golden-bar/bar:{sigTag} ({sig}): copy from {_replicas[1].Host}/prod",
                $"  MISSING blob golden-bar/bar@{blob.Digest} (of {Bar}) ({blob.Size}): copy from {r1.Host}/prod",
                $"  MISSING manifest golden-foo/foo@{FooS390x} (child of {FooIndex}) ({FooS390x}): copy from {r1.Host}/prod",
                $"  DIFFERS tag golden-foo/foo:1.0: holds {FooAmd64}, should hold {FooIndex}: refused, a tag is never moved",
            ];
            var dry = Run("Backfill dry run", "--target", "Backfill", $"--manifest={five}");
            dry.ExitCode.Should().NotBe(0, "a dry run with findings fails: the periodic audit");
            Findings(dry.Output).Should().Equal(damage);
            dry.Output.Should().Contain($"replica {r1.Host}/prod: 2 item(s) missing or differing")
                .And.Contain($"replica {r2.Host}/prod: 2 item(s)").And.Contain($"replica {r3.Host}/prod: 1 item(s)")
                .And.Contain("5 missing or differing in 3 replica(s): 4 to copy from a healthy replica, 1 refused")
                .And.Contain("Dry run complete: nothing was written")
                .And.NotContain(_source.Host + "/stg/golden", "nothing is copied from the source registry");
            (await clients[0].HeadManifestAsync(BarRepo, "1.0")).Should().BeNull("a dry run writes nothing");

            var planFile = Path.Combine(_folder, "backfill-plan.json");
            var confirmed = Run("Backfill --confirm", "--target", "Backfill", $"--manifest={five}", "--confirm", $"--plan-out={planFile}");
            confirmed.ExitCode.Should().NotBe(0, "the tag on another digest is refused, so the run fails after the repairs");
            confirmed.Output.Should().Contain($"REFUSED tag move: {r3.Host}/{FooRepo}:1.0 points at {FooAmd64}, not {FooIndex}")
                .And.Contain("1 edge(s) refused; the other edges were promoted")
                .And.Contain("request budget: ").And.Contain("requests sent: ")
                .And.NotContain($"{_source.Host}/stg/golden");
            File.ReadAllText(planFile).Should().Contain("\"REFUSED\"").And.Contain($"{r1.Host}/{BarRepo}:1.0");
            (await clients[0].HeadManifestAsync(BarRepo, "1.0"))!.Digest.Value.Should().Be(Bar);
            (await clients[0].HeadManifestAsync(BarRepo, sigTag))!.Digest.Value.Should().Be(sig);
            (await clients[1].HeadManifestAsync(FooRepo, FooS390x))!.Digest.Value.Should().Be(FooS390x);
            (await clients[1].HeadBlobAsync(BarRepo, blob.Digest)).Should().Be(blob.Size);
            (await clients[2].HeadManifestAsync(FooRepo, "1.0"))!.Digest.Value.Should().Be(FooAmd64, "a tag is never moved");

            var rerun = Run("Backfill rerun", "--target", "Backfill", $"--manifest={five}");
            rerun.ExitCode.Should().NotBe(0);
            Findings(rerun.Output).Should().Equal(damage[4]);

            // A sixth region added to the manifest, empty, with the source registry gone.
            var six = Manifest("six.yaml", 6);
            _source.Dispose();
            var fill = Run("Backfill --confirm, a new empty replica, the source stopped", "--target", "Backfill", $"--manifest={six}", "--confirm");
            fill.ExitCode.Should().NotBe(0, "the tag move in r3 is still refused");
            fill.Output.Should().Contain($"replica {_replicas[5].Host}/prod: ").And.Contain("1 edge(s) refused; the other edges were promoted");
            var r6 = clients[5];
            (await r6.HeadManifestAsync(BarRepo, "1.0"))!.Digest.Value.Should().Be(Bar);
            (await r6.HeadManifestAsync(BarRepo, sigTag))!.Digest.Value.Should().Be(sig);
            (await r6.HeadManifestAsync(FooRepo, "1.0"))!.Digest.Value.Should().Be(FooIndex);
            (await r6.HeadManifestAsync(FooRepo, FooAmd64)).Should().NotBeNull();
            (await r6.HeadManifestAsync(FooRepo, FooS390x)).Should().NotBeNull();
            (await r6.HeadBlobAsync(BarRepo, blob.Digest)).Should().Be(blob.Size);

            var after = Run("Backfill dry run after the fill", "--target", "Backfill", $"--manifest={six}");
            Findings(after.Output).Should().Equal(damage[4]);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    /// <summary>Pushes a cosign-shaped <c>.sig</c> of <paramref name="subject"/> (one simple-signing layer; the signature is not checked here).</summary>
    private static async Task<string> PushSignatureAsync(RegistryClient client, string repository, string subject)
    {
        var payload = Encoding.UTF8.GetBytes(
            $$"""{"critical":{"identity":{"docker-reference":"staging/bar"},"image":{"docker-manifest-digest":"{{subject}}"},"type":"cosign container image signature"},"optional":null}""");
        var layer = AttachmentManifests.Layer(AttachmentManifests.SimpleSigningMediaType, payload,
            new Dictionary<string, string> { [AttachmentManifests.SignatureAnnotation] = "c2lnbmF0dXJl" });
        var built = AttachmentManifests.BuildLayered([layer]);
        await client.UploadBlobAsync(repository, layer.Digest, payload);
        await client.UploadBlobAsync(repository, built.ConfigDigest!.Value, built.Config);
        var tag = AttachmentTags.For(Digest.Parse(subject), AttachmentKind.Signature);
        return (await client.PutManifestAsync(repository, tag, built.Manifest.Bytes, built.Manifest.MediaType)).Value;
    }

    /// <summary>A blob of bar's manifest that no foo image has (bar and foo share their empty layer).</summary>
    private static async Task<(Digest Digest, long Size)> BarOnlyBlobAsync(RegistryClient client)
    {
        var bar = (await client.GetManifestAsync(BarRepo, Bar)).Parse("bar");
        var foo = new HashSet<Digest>();
        foreach (var child in new[] { FooAmd64, FooS390x })
            foreach (var b in (await client.GetManifestAsync(FooRepo, child)).Parse("foo").Blobs) foo.Add(b.ParsedDigest);
        var only = bar.Blobs.First(b => !foo.Contains(b.ParsedDigest));
        return (only.ParsedDigest, only.Size);
    }
}
