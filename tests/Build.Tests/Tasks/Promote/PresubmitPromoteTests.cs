using System.Net;
using System.Net.Sockets;
using Build.Tests.Harness;
using Build.Tests.Tools.Git;
using FluentAssertions;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.Promote;

/// <summary>
/// Issue 10's presubmit-grade semantics through the real build program against a real Distribution process seeded with
/// upstream's golden set: a dry run fails on a tag move, --isolate-edges promotes the clean edges and fails, --plan-out
/// then --plan --confirm executes the reviewed plan and refuses it after a drift, --manifest-diff-since plans only the
/// entries a real git history changed, --parse-only sends nothing, kpromo's snapshot flags, and kpromo flags refused.
/// </summary>
public sealed class PresubmitPromoteTests() : SeededRegistryTest("presubmit-")
{
    private const string Bar = GoldenDigests.Upstream.Bar;
    private const string FooAmd64 = GoldenDigests.Upstream.FooAmd64;
    private const string FooS390x = GoldenDigests.Upstream.FooS390x;

    /// <summary>A manifest promoting foo's digests from staging into <c>prod-NAME</c>, each with its tags.</summary>
    private string FooManifest(string name, string destination, params (string Digest, string Tags)[] dmap)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, $"""
            registries:
            - name: {Seeded.Host}/stg/golden-foo
              src: true
            - name: {Seeded.Host}/{destination}
            images:
            - name: foo
              dmap:
            {string.Join("\n", dmap.Select(d => $"    \"{d.Digest}\": [{d.Tags}]"))}
            """);
        return path;
    }

    private async Task<string?> TagAsync(string repository, string tag)
    {
        using var client = Seeded.CreateClient();
        return (await client.HeadManifestAsync(repository, tag))?.Digest.Value;
    }

    [Fact]
    public async Task A_tag_move_fails_the_dry_run_and_isolate_edges_promotes_the_clean_edges_then_fails()
    {
        var seed = BuildProgram.Run("--target", "Promote", $"--manifest={FooManifest("seed.yaml", "iso", (FooAmd64, "\"1.0\""))}", "--confirm");
        seed.ExitCode.Should().Be(0, seed.Output);
        // 1.0 would move to the s390x image; 2.0 and the bar-less tag "s390x" are clean.
        var moving = FooManifest("move.yaml", "iso", (FooS390x, "\"1.0\", \"s390x\""), (FooAmd64, "\"2.0\""));

        var dry = BuildProgram.Run("--target", "Promote", $"--manifest={moving}");
        dry.ExitCode.Should().NotBe(0, "a presubmit dry run must fail when the real run would be refused");
        dry.Output.Should().Contain($"REFUSED tag move: {Seeded.Host}/iso/foo:1.0 points at {FooAmd64}, not {FooS390x}")
            .And.Contain("1 tag move(s) refused; nothing was promoted");

        var isolated = BuildProgram.Run("--target", "Promote", $"--manifest={moving}", "--isolate-edges", "--confirm");
        isolated.ExitCode.Should().NotBe(0, "a refused edge fails the run at its end");
        isolated.Output.Should().Contain("1 refused edge(s) isolated: they and what depends on them are not written")
            .And.Contain($"\n  REFUSED tag move: {Seeded.Host}/iso/foo:1.0")
            .And.Contain("1 edge(s) refused; the other edges were promoted (")
            .And.Contain("request budget: ").And.Contain("requests sent: ");
        (await TagAsync("iso/foo", "1.0")).Should().Be(FooAmd64, "the refused tag is untouched");
        (await TagAsync("iso/foo", "s390x")).Should().Be(FooS390x, "a clean edge of the same digest was promoted");
        (await TagAsync("iso/foo", "2.0")).Should().Be(FooAmd64);

        var isolatedDry = BuildProgram.Run("--target", "Promote", $"--manifest={moving}", "--isolate-edges");
        isolatedDry.ExitCode.Should().NotBe(0);
        isolatedDry.Output.Should().Contain("1 edge(s) refused; the dry run stopped before writing the other edges");
    }

    [Fact]
    public async Task Isolate_edges_refuses_overlapping_edges_and_promotes_the_rest()
    {
        var overlapping = FooManifest("overlap.yaml", "ovl", (FooS390x, "\"x\", \"s390x\""), (FooAmd64, "\"x\", \"amd64\""));
        var plain = BuildProgram.Run("--target", "Promote", $"--manifest={overlapping}", "--confirm");
        plain.ExitCode.Should().NotBe(0);
        plain.Output.Should().Contain("overlapping edges detected");

        var isolated = BuildProgram.Run("--target", "Promote", $"--manifest={overlapping}", "--confirm", "--isolate-edges");
        isolated.ExitCode.Should().NotBe(0, isolated.Output);
        isolated.Output.Should().Contain($"REFUSED overlapping edge: {Seeded.Host}/ovl/foo:x is claimed by {FooS390x} and by {FooAmd64}")
            .And.Contain("2 edge(s) refused; the other edges were promoted");
        (await TagAsync("ovl/foo", "x")).Should().BeNull();
        (await TagAsync("ovl/foo", "s390x")).Should().Be(FooS390x);
        (await TagAsync("ovl/foo", "amd64")).Should().Be(FooAmd64);
    }

    [Fact]
    public async Task Require_source_refuses_a_lost_digest_that_is_otherwise_skipped()
    {
        const string missing = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
        var manifest = FooManifest("lost.yaml", "lost", (missing, "\"gone\""), (FooAmd64, "\"here\""));
        var skipped = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}");
        skipped.ExitCode.Should().Be(0, "upstream skips lost edges by default: " + skipped.Output);

        var required = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", "--require-source");
        required.ExitCode.Should().NotBe(0);
        required.Output.Should().Contain("1 edge(s) name digests missing from the source; nothing was promoted");

        var isolated = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", "--require-source", "--isolate-edges", "--confirm");
        isolated.ExitCode.Should().NotBe(0);
        isolated.Output.Should().Contain("1 refused edge(s) isolated").And.Contain($"\n  LOST  {Seeded.Host}/stg/golden-foo/foo@{missing}");
        (await TagAsync("lost/foo", "here")).Should().Be(FooAmd64);
    }

    [Fact]
    public async Task A_reviewed_plan_is_executed_and_refused_after_a_drift()
    {
        var manifest = FooManifest("planned.yaml", "planned", (FooAmd64, "\"1.0\""), (FooS390x, "\"s390x\""));
        var planFile = Path.Combine(Folder, "plan.json");
        var reviewed = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", $"--plan-out={planFile}");
        reviewed.ExitCode.Should().Be(0, reviewed.Output);
        // Two copies, each put by its tag's PUT; the two tags the plan saw absent in one repository: one guard listing, a
        // PUT and a read-back GET each (5); executed from the file, the same (the check for drift reads the sources again).
        File.ReadAllText(planFile).Should().Contain("\"version\": 1").And.Contain("\"manifestRequests\": 5");

        var executed = BuildProgram.Run("--target", "Promote", $"--plan={planFile}", "--confirm");
        executed.ExitCode.Should().Be(0, executed.Output);
        executed.Output.Should().Contain("request budget: 5 manifest and tag request(s) for 2 copies and 2 tag(s)")
            .And.Contain("requests sent: ");
        (await TagAsync("planned/foo", "1.0")).Should().Be(FooAmd64);

        // A second plan, then a drift: another promotion puts the planned tag on another digest, and a tag moves.
        var next = FooManifest("next.yaml", "planned", (FooAmd64, "\"2.0\""), (FooS390x, "\"3.0\""));
        var nextPlan = Path.Combine(Folder, "next.json");
        BuildProgram.Run("--target", "Promote", $"--manifest={next}", $"--plan-out={nextPlan}").ExitCode.Should().Be(0);
        var drift = BuildProgram.Run("--target", "Promote", $"--manifest={FooManifest("drift.yaml", "planned", (FooS390x, "\"2.0\""))}", "--confirm");
        drift.ExitCode.Should().Be(0, drift.Output);

        var refused = BuildProgram.Run("--target", "Promote", $"--plan={nextPlan}", "--confirm");
        refused.ExitCode.Should().NotBe(0);
        refused.Output.Should().Contain($"1 edge(s) of the plan {nextPlan} drifted since it was written; nothing was promoted")
            .And.Contain($"{Seeded.Host}/planned/foo:2.0: planned TAG (the tag was absent), now the tag points at {FooS390x} (moved since the plan)");
        (await TagAsync("planned/foo", "3.0")).Should().BeNull("nothing of a drifted plan is written");
    }

    [Fact]
    public void Manifest_diff_since_plans_only_the_entries_of_the_manifest_that_changed()
    {
        using var repository = ScriptedRepository.CreateEmpty();
        string Thin(string image) => $"""
            registries:
            - name: {Seeded.Host}/stg/golden-{image}
              src: true
            - name: {Seeded.Host}/diff
            """;
        string Images(string image, string dmap) => $"- name: {image}\n  dmap:\n{dmap}";
        repository.Commit("three manifests",
            ("thin/manifests/bar/promoter-manifest.yaml", Thin("bar")),
            ("thin/images/bar/images.yaml", Images("bar", $"    \"{Bar}\": [\"1.0\"]\n")),
            ("thin/manifests/foo/promoter-manifest.yaml", Thin("foo")),
            ("thin/images/foo/images.yaml", Images("foo", $"    \"{FooAmd64}\": [\"1.0\"]\n")),
            ("thin/manifests/foo2/promoter-manifest.yaml", Thin("foo")),
            ("thin/images/foo2/images.yaml", Images("foo", $"    \"{FooS390x}\": [\"s1\"]\n")));
        var baseCommit = repository.Head;
        repository.Commit("foo: a new tag and a new digest",
            ("thin/images/foo/images.yaml", Images("foo", $"    \"{FooAmd64}\": [\"1.0\", \"1.1\"]\n    \"{FooS390x}\": [\"1.0-s390x\"]\n")));

        var thin = Path.Combine(repository.Path, "thin");
        var all = BuildProgram.Run("--target", "Promote", $"--thin-manifest-dir={thin}");
        all.ExitCode.Should().Be(0, all.Output);
        all.Output.Should().Contain("plan: 3 copies, 5 tag(s)");

        var diff = BuildProgram.Run("--target", "Promote", $"--thin-manifest-dir={thin}", $"--manifest-diff-since={baseCommit}");
        diff.ExitCode.Should().Be(0, diff.Output);
        diff.Output.Should().Contain($"manifest diff {baseCommit[..12]}..").And.Contain("2 of 5 edge(s) new or changed")
            .And.Contain($"destination {Seeded.Host}/diff (1 image): 2 to copy").And.Contain("image foo (1 destination): 2 to copy")
            .And.Contain("plan: 2 copies, 2 tag(s)")
            .And.NotContain("golden-bar").And.NotContain(":s1");
    }

    [Fact]
    public void Parse_only_validates_the_manifests_and_contacts_no_registry()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var unreachable = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var manifest = Path.Combine(Folder, "nowhere.yaml");
        File.WriteAllText(manifest, $"""
            registries:
            - name: {unreachable}/stg
              src: true
            - name: {unreachable}/prod
            images:
            - name: foo
              dmap:
                "{FooAmd64}": ["1.0"]
            """);

        var parsed = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", "--parse-only", "--registry-timeout=2");
        parsed.ExitCode.Should().Be(0, parsed.Output);
        parsed.Output.Should().Contain($"parse-only: {manifest} is valid (1 edge(s)); no registry was contacted");
        listener.Pending().Should().BeFalse("parse-only opens no connection");

        var planned = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", "--registry-timeout=1");
        planned.ExitCode.Should().NotBe(0, "without --parse-only the plan asks the registry, which never answers");
        listener.Pending().Should().BeTrue("the same manifest without --parse-only does connect: the check above can fail");

        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(FooAmd64, "sha256:nothex"));
        var invalid = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", "--parse-only");
        invalid.ExitCode.Should().NotBe(0);
        invalid.Output.Should().Contain($"{manifest}:");
    }

    [Fact]
    public void Snapshot_flags_match_kpromo()
    {
        var seed = BuildProgram.Run("--target", "Promote", $"--manifest={FooManifest("snap.yaml", "snap", (FooAmd64, "\"1.0\", \"latest\""), (FooS390x, ""))}", "--confirm");
        seed.ExitCode.Should().Be(0, seed.Output);

        var storage = $"--registry-storage={Seeded.Host}={Seeded.StorageRoot}"; // so the tagless digest is listed
        var csv = BuildProgram.Run("--target", "Promote", $"--snapshot={Seeded.Host}/snap", "--output=csv", storage);
        csv.ExitCode.Should().Be(0, csv.Output);
        csv.Output.Should().Contain($"foo@{FooAmd64},foo:1.0\nfoo@{FooAmd64},foo:latest\nfoo@{FooS390x},-\n");

        var tagged = BuildProgram.Run("--target", "Promote", $"--snapshot={Seeded.Host}/snap", "--snapshot-tag=latest");
        tagged.ExitCode.Should().Be(0, tagged.Output);
        tagged.Output.Should().Contain($"- name: foo\n  dmap:\n    \"{FooAmd64}\": [\"latest\"]\n").And.NotContain(FooS390x);

        // foo's manifest list (children amd64 and s390x): the copy brings the children in tagless.
        const string fooIndex = GoldenDigests.Upstream.FooList;
        BuildProgram.Run("--target", "Promote", $"--manifest={FooManifest("mini.yaml", "mini", (fooIndex, "\"1.0\""))}", "--confirm").ExitCode.Should().Be(0);
        var full = BuildProgram.Run("--target", "Promote", $"--snapshot={Seeded.Host}/mini", "--output=csv", storage);
        full.Output.Should().Contain($"foo@{FooAmd64},-\n").And.Contain($"foo@{FooS390x},-\n").And.Contain($"foo@{fooIndex},foo:1.0\n");
        var minimal = BuildProgram.Run("--target", "Promote", $"--snapshot={Seeded.Host}/mini", "--output=csv", "--minimal-snapshot", storage);
        minimal.ExitCode.Should().Be(0, minimal.Output);
        minimal.Output.Should().Contain($"foo@{fooIndex},foo:1.0\n").And.NotContain(FooAmd64).And.NotContain(FooS390x);

        var planned = BuildProgram.Run("--target", "Promote", $"--manifest={FooManifest("snap2.yaml", "elsewhere", (FooAmd64, "\"2.0\""))}",
            $"--manifest-based-snapshot-of={Seeded.Host}/elsewhere", "--output=csv");
        planned.ExitCode.Should().Be(0, planned.Output);
        planned.Output.Should().Contain($"foo@{FooAmd64},foo:2.0\n");
    }

    [Theory]
    [InlineData("--signer-account=x@y.iam.gserviceaccount.com", "kpromo's --signer-account is not implemented by this project and is refused rather than ignored: keyless signing")]
    [InlineData("--log-level=debug", "kpromo's --log-level is not implemented by this project and is refused rather than ignored: this project's log level is Cake's --verbosity")]
    [InlineData("--vuln-severity-threshold=3", "kpromo's --vuln-severity-threshold is not implemented")]
    public void A_kpromo_flag_not_implemented_is_refused_naming_it(string flag, string message)
    {
        var result = BuildProgram.Run("--target", "Promote", $"--manifest={FooManifest("any.yaml", "any", (FooAmd64, "\"1.0\""))}", flag);
        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain(message);
    }
}
