using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.Promote;

/// <summary>
/// The Promote task through the real build program against a real Distribution process: a dry run writes nothing,
/// --confirm promotes, a second run plans nothing, a tag move is refused, and --snapshot prints upstream's format.
/// </summary>
public sealed class PromoteTaskTests() : SeededRegistryTest("promote-task-")
{
    private const string Bar = GoldenDigests.Upstream.Bar;
    private const string FooAmd64 = GoldenDigests.Upstream.FooAmd64;

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Manifest(string name, string tagsOfBar)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, $"""
            registries:
            - name: {Seeded.Host}/stg/golden-bar
              src: true
            - name: {Seeded.Host}/prod
            images:
            - name: bar
              dmap:
                "{tagsOfBar}": ["1.0"]
            """);
        return path;
    }

    [Fact]
    public async Task Dry_run_then_confirm_then_nothing_left_to_do()
    {
        var manifest = Manifest("bar.yaml", Bar);
        using var client = Seeded.CreateClient();

        var dry = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}");
        dry.ExitCode.Should().Be(0, dry.Output);
        // At the default verbosity the plan is summed up by destination and image (each edge's line is at -v verbose).
        dry.Output.Should().Contain($"destination {Seeded.Host}/prod (1 image): 1 to copy").And.Contain("image bar (1 destination): 1 to copy")
            .And.NotContain("COPY  ")
            .And.Contain("plan: 1 copy, 1 tag(s), 0 refused").And.Contain("Dry run complete: nothing was written");
        (await client.HeadManifestAsync("prod/bar", "1.0")).Should().BeNull("a dry run writes nothing");

        var live = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", "--confirm");
        live.ExitCode.Should().Be(0, live.Output);
        live.Output.Should().Contain("promoted: 1 manifest(s) put, 0 blob(s) uploaded, 3 mounted");
        (await client.HeadManifestAsync("prod/bar", "1.0"))!.Digest.Value.Should().Be(Bar);

        var again = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", "--dry-run=false");
        again.ExitCode.Should().Be(0, again.Output);
        again.Output.Should().Contain("plan: 0 copies, 0 tag(s), 0 refused, 0 lost, 1 already promoted")
            .And.Contain("promoted: 0 manifest(s) put, 0 blob(s) uploaded, 0 mounted, 0 already present, 0 tag(s) written");
    }

    [Fact]
    public void The_plan_is_written_as_json_and_junit_even_when_it_is_refused()
    {
        var artifacts = Directory.CreateDirectory(Path.Combine(Folder, "artifacts")).FullName;
        var planFile = Path.Combine(Folder, "plan.json");
        // prod/foo:plan points at foo's amd64 image first; then a manifest wants the s390x image under that tag.
        const string fooS390x = GoldenDigests.Upstream.FooS390x;
        string FooManifest(string name, string digest) => WriteFile(name, $"""
            registries:
            - name: {Seeded.Host}/stg/golden-foo
              src: true
            - name: {Seeded.Host}/prod
            images:
            - name: foo
              dmap:
                "{digest}": ["plan"]
                "{FooAmd64}": ["plan-amd64"]
            """);
        var seed = WriteFile("plan-seed.yaml", $"""
            registries:
            - name: {Seeded.Host}/stg/golden-foo
              src: true
            - name: {Seeded.Host}/prod
            images:
            - name: foo
              dmap:
                "{FooAmd64}": ["plan", "plan-amd64"]
            """);
        var seeded = BuildProgram.Run("--target", "Promote", $"--manifest={seed}", "--confirm");
        seeded.ExitCode.Should().Be(0, seeded.Output);
        var moving = FooManifest("plan-move.yaml", fooS390x);

        var result = BuildProgram.RunWith(new Dictionary<string, string?> { ["ARTIFACTS"] = artifacts },
            "--target", "Promote", $"--manifest={moving}", $"--plan-out={planFile}");

        result.ExitCode.Should().NotBe(0, "the dry run of a refused tag move fails");
        using var plan = System.Text.Json.JsonDocument.Parse(File.ReadAllText(planFile));
        var edges = plan.RootElement.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("destination").GetString())).ToList();
        edges.Should().BeEquivalentTo(new (string?, string?)[]
        {
            ("REFUSED", $"{Seeded.Host}/prod/foo:plan"),
            ("ALREADY", $"{Seeded.Host}/prod/foo:plan-amd64"),
        });
        plan.RootElement.GetProperty("refused").GetInt32().Should().Be(1);
        var junit = System.Xml.Linq.XDocument.Load(Path.Combine(artifacts, "junit_promotion.xml"));
        junit.Descendants("testcase").Should().HaveCount(2);
        junit.Descendants("failure").Should().ContainSingle().Which.Value.Should().Contain($"points at {FooAmd64}");
    }

    [Fact]
    public async Task A_tag_on_another_digest_is_refused_and_nothing_is_written()
    {
        var first = BuildProgram.Run("--target", "Promote", $"--manifest={Manifest("bar.yaml", Bar)}", "--confirm");
        first.ExitCode.Should().Be(0, first.Output);
        var moving = Manifest("move.yaml", FooAmd64);
        // foo's amd64 image is not in golden-bar/bar, so point the source at golden-foo for this manifest.
        File.WriteAllText(moving, File.ReadAllText(moving).Replace("/stg/golden-bar", "/stg/golden-foo").Replace("name: bar", "name: foo"));
        var claim = BuildProgram.Run("--target", "Promote", $"--manifest={moving}", "--confirm");
        claim.ExitCode.Should().Be(0, "prod/foo:1.0 does not exist yet: " + claim.Output);

        var conflicting = Path.Combine(Folder, "conflict.yaml");
        File.WriteAllText(conflicting, File.ReadAllText(moving).Replace(FooAmd64, GoldenDigests.Upstream.FooS390x));
        var refused = BuildProgram.Run("--target", "Promote", $"--manifest={conflicting}", "--confirm");

        refused.ExitCode.Should().NotBe(0);
        refused.Output.Should().Contain($"REFUSED tag move: {Seeded.Host}/prod/foo:1.0 points at {FooAmd64}")
            .And.Contain("1 tag move(s) refused; nothing was promoted");
        using var client = Seeded.CreateClient();
        (await client.HeadManifestAsync("prod/foo", "1.0"))!.Digest.Value.Should().Be(FooAmd64);
    }

    [Fact]
    public void Snapshot_prints_the_upstream_format()
    {
        var result = BuildProgram.Run("--target", "Promote", $"--snapshot={Seeded.Host}/stg/golden-bar");

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain($"- name: bar\n  dmap:\n    \"{Bar}\": [\"1.0\"]\n");
    }

    [Fact]
    public void Neither_or_both_manifest_flags_is_a_clear_error()
    {
        var neither = BuildProgram.Run("--target", "Promote");
        neither.ExitCode.Should().NotBe(0);
        neither.Output.Should().Contain("Promote needs exactly one of --manifest=FILE and --thin-manifest-dir=DIR (or --snapshot=REGISTRY).");
    }
}
