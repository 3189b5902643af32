using System.Text.RegularExpressions;
using Build.Kubernetes;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Promotion;
using Promoter.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Build.Tests.Tasks.Promote;

/// <summary>
/// <c>Promote --against-snapshot=REGISTRY=FILE</c>, the offline immutability presubmit (issue 27): the real build program
/// checks a manifest against committed snapshots - a tag move is refused naming the manifest's file:line, a clean change
/// passes listing its new edges - and, under <c>unshare -n</c> (a network namespace with no interface up), it still does,
/// so it needs no network at all. The registries named here do not exist.
/// </summary>
public sealed partial class AgainstSnapshotTests(ITestOutputHelper output) : IDisposable
{
    private const string A = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string Prod = "prod.registry.test/prod";
    private readonly string _folder = Directory.CreateTempSubdirectory("against-snapshot-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A manifest promoting foo@A as 1.0 and foo@B as 2.0 from staging to <see cref="Prod"/>; A's entry is line 9, B's line 10.</summary>
    private string Manifest(string tagOfB = "2.0")
    {
        var path = Path.Combine(_folder, "promoter-manifest.yaml");
        File.WriteAllText(path, $"""
            registries:
            - name: stage.registry.test/stg
              src: true
            - name: {Prod}
            images:
            - name: foo
              dmap:
                # 1.0 was promoted long ago
                "{A}": ["1.0"]
                "{B}": ["{tagOfB}"]

            """);
        return path;
    }

    /// <summary>The committed snapshot of <see cref="Prod"/>: foo@A as 1.0 (its line 3), foo@B untagged.</summary>
    private string ProdSnapshot(string name = "prod.yaml")
    {
        var snapshot = new Snapshot([new ImageEntry("foo", [new DigestTags(A, ["1.0"]), new DigestTags(B, [])])]);
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, name.EndsWith(".csv", StringComparison.Ordinal) ? snapshot.ToCsv() : snapshot.ToText());
        return path;
    }

    [Fact]
    public void A_tag_move_is_refused_naming_the_manifest_line_and_the_snapshot_line()
    {
        var manifest = Manifest(tagOfB: "1.0");
        var snapshot = ProdSnapshot();

        var result = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", $"--against-snapshot={Prod}={snapshot}");
        output.WriteLine(result.Output);

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("2 edge(s) refused against the committed snapshots (no registry was contacted)");
        result.Output.Should().Contain(
            $"{manifest}:10: REFUSED overlapping edge: {Prod}/foo:1.0 is claimed by {B} and by {A}",
            "B as 1.0 overlaps A as 1.0 in the manifest itself");
        result.Output.Should().Contain($"{manifest}:9: REFUSED overlapping edge: {Prod}/foo:1.0 is claimed by {A} and by {B}");

        // The move alone: the manifest now asks for B as 1.0 only.
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace($"\"{A}\": [\"1.0\"]", $"\"{A}\": []"));
        result = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", $"--against-snapshot={Prod}={snapshot}");
        output.WriteLine(result.Output);
        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain($"{manifest}:10: REFUSED tag move: {Prod}/foo:1.0 points at {A}, not {B} (snapshot {snapshot}:3)");
        result.Output.Should().Contain("1 refused; no registry was contacted");
    }

    [Theory]
    [InlineData("prod.yaml")]
    [InlineData("prod.csv")]
    public void A_clean_change_passes_listing_its_new_edges(string snapshotName)
    {
        var manifest = Manifest();
        var snapshot = ProdSnapshot(snapshotName);

        var result = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", $"--against-snapshot={Prod}={snapshot}");
        output.WriteLine(result.Output);

        result.ExitCode.Should().Be(0);
        result.Output.Should().Contain($"{manifest}:10: new: TAG   stage.registry.test/stg/foo@{B} -> {Prod}/foo:2.0");
        result.Output.Should().Contain("no snapshot covers the source stage.registry.test/stg: its digests are taken as present");
        result.Output.Should().Contain($"against-snapshot: {manifest}: 2 edge(s), 1 unchanged, 1 new, 0 refused; no registry was contacted");
    }

    [Fact]
    public void A_digest_missing_from_the_source_snapshot_and_a_destination_without_snapshot_are_refused()
    {
        var manifest = Manifest();
        var staging = Path.Combine(_folder, "stg.csv");
        File.WriteAllText(staging, $"foo@{A},foo:1.0\n");

        var result = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", $"--against-snapshot={Prod}={ProdSnapshot()},stage.registry.test/stg={staging}");
        output.WriteLine(result.Output);
        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain($"{manifest}:10: REFUSED lost digest: stage.registry.test/stg/foo@{B} is not in the source's snapshot ({staging})");

        result = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", $"--against-snapshot=stage.registry.test/stg={staging}");
        output.WriteLine(result.Output);
        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain($"{manifest}:9: REFUSED no snapshot covers {Prod}/foo: give --against-snapshot={Prod}=FILE");
    }

    [Fact]
    public void A_malformed_snapshot_is_named_by_file_line_and_field()
    {
        var snapshot = Path.Combine(_folder, "prod.csv");
        File.WriteAllText(snapshot, $"foo@{A},foo:1.0\nfoo@{B},foo:1.0\n");

        var result = BuildProgram.Run("--target", "Promote", $"--manifest={Manifest()}", $"--against-snapshot={Prod}={snapshot}");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain($"{snapshot}:2: image:tag: foo:1.0 is also on {A} (line 1); a tag points at one digest");
    }

    [Theory]
    [InlineData("--confirm", "Contradictory settings: --against-snapshot (from the argument --against-snapshot) and --confirm")]
    [InlineData("--dry-run=false", "Contradictory settings: --against-snapshot (from the argument --against-snapshot) and --dry-run=false")]
    [InlineData("--parse-only", "Contradictory settings: --against-snapshot (from the argument --against-snapshot) and --parse-only (from the argument --parse-only)")]
    [InlineData("--snapshot=prod.registry.test", "Contradictory settings")]
    public void It_writes_nothing_and_is_one_mode(string other, string message)
    {
        var result = BuildProgram.Run("--target", "Promote", $"--manifest={Manifest()}", $"--against-snapshot={Prod}={ProdSnapshot()}", other);
        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain(message);
    }

    [Fact]
    public void A_value_without_its_registry_is_refused()
    {
        var result = BuildProgram.Run("--target", "Promote", $"--manifest={Manifest()}", $"--against-snapshot={ProdSnapshot()}");
        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("expected REGISTRY=FILE");
    }

    [Fact]
    public void The_rendered_manifests_presubmit_passes_on_the_committed_manifests_and_snapshots()
    {
        var command = PipelineJobs.ManifestsPresubmitCommand;
        command.Take(3).Should().Equal("./build.sh", "--target", "Promote");

        var result = BuildProgram.Run([.. command.Skip(1)]);
        output.WriteLine(result.Output);

        result.ExitCode.Should().Be(0);
        result.Output.Should().Contain("0 refused; no registry was contacted");
    }

    /// <summary>
    /// The compiled build program (the Build.dll beside the tests) in a new network namespace, where no interface is up:
    /// the refusal and the clean change as above, and the rendered presubmit's command.
    /// </summary>
    [ToolFact("unshare")]
    public void With_no_network_at_all_a_tag_move_is_refused_and_a_clean_change_passes()
    {
        var snapshot = ProdSnapshot();
        var manifest = Manifest();
        var clean = RunWithoutNetwork("--target", "Promote", $"--manifest={manifest}", $"--against-snapshot={Prod}={snapshot}");
        clean.ExitCode.Should().Be(0, clean.Output);
        clean.Output.Should().Contain($"{manifest}:10: new: TAG   stage.registry.test/stg/foo@{B} -> {Prod}/foo:2.0");

        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace($"\"{A}\": [\"1.0\"]", $"\"{A}\": []").Replace("[\"2.0\"]", "[\"1.0\"]"));
        var moved = RunWithoutNetwork("--target", "Promote", $"--manifest={manifest}", $"--against-snapshot={Prod}={snapshot}");
        moved.ExitCode.Should().NotBe(0, moved.Output);
        moved.Output.Should().Contain($"{manifest}:10: REFUSED tag move: {Prod}/foo:1.0 points at {A}, not {B} (snapshot {snapshot}:3)");

        var job = RunWithoutNetwork([.. PipelineJobs.ManifestsPresubmitCommand.Skip(1)]);
        job.ExitCode.Should().Be(0, job.Output);
    }

    private (int ExitCode, string Output) RunWithoutNetwork(params string[] args)
    {
        var result = BuildProgram.StartProcess([.. args, "--verbosity", "normal"], null, "unshare", "-n").Wait();
        var all = Ansi().Replace(result.Combined, "");
        output.WriteLine($"$ unshare -n dotnet Build.dll {string.Join(' ', args)}\n{all}(exit {result.ExitCode})");
        return (result.ExitCode, all);
    }

    [GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial Regex Ansi();
}
