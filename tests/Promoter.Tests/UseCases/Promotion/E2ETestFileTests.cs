using FluentAssertions;
using Promoter.Promotion;
using Xunit;
using Promoter.E2E;
using Promoter.Yaml;

namespace Promoter.Tests.Promotion;

public class E2ETestFileTests
{
    private static readonly string A = Digests.Of('a');
    private static readonly string B = Digests.Of('b');

    private static string File2() => $"""
        - name: "sanity"
          registries:
          - name: gcr.io/stg-root
            service-account: stg@example.iam
          - {"{"}name: us.gcr.io/prod-root/some/subdir, service-account: prod@example.iam{"}"}
          invocation:
          - "--manifest=$PWD/test-e2e/cip/fixture/sanity/promoter-manifest.yaml"
          - "--snapshot-tag=1.0"
          snapshots:
          - name: gcr.io/stg-root/golden-foo
            before: &golden-foo
            - name: foo
              dmap:
                "{B}": ["1.0", "1.10"]
                "{A}": []
            after: *golden-foo
          - name: us.gcr.io/prod-root/some/subdir
            before: []
            after: *golden-foo
        - name: recursive-thin
          registries: []
          invocation: ["--thin-manifest-dir=$PWD/fixture/recursive-thin", "--dry-run=false"]
          snapshots: []
        """;

    [Fact]
    public void Reads_tests_resolving_anchors_and_aliases()
    {
        using var tree = new TempTree();
        var path = tree.Write("tests.yaml", File2());

        var tests = E2ETestFile.Load(path);

        tests.Select(t => t.Name).Should().Equal("sanity", "recursive-thin");
        var sanity = tests[0];
        sanity.Location.Should().Be(new SourceLocation(path, 1, "[0]"));
        sanity.Registries.Select(r => (r.Name, r.ServiceAccount)).Should().Equal(
            ("gcr.io/stg-root", "stg@example.iam"), ("us.gcr.io/prod-root/some/subdir", "prod@example.iam"));
        sanity.Snapshots.Select(s => s.Name).Should().Equal("gcr.io/stg-root/golden-foo", "us.gcr.io/prod-root/some/subdir");
        var golden = sanity.Snapshots[0].Before;
        golden.Images.Should().ContainSingle().Which.Dmap.Select(d => (d.Digest, string.Join(",", d.Tags)))
            .Should().Equal((B, "1.0,1.10"), (A, ""));
        SnapshotDiff.Compare(golden, sanity.Snapshots[0].After).IsEmpty.Should().BeTrue();
        SnapshotDiff.Compare(golden, sanity.Snapshots[1].After).IsEmpty.Should().BeTrue();
        sanity.Snapshots[1].Before.Images.Should().BeEmpty();
        tests[1].Registries.Should().BeEmpty();
        tests[1].Snapshots.Should().BeEmpty();
    }

    [Fact]
    public void Invocation_replaces_PWD_with_the_repository_root()
    {
        var tests = E2ETestFile.Parse(File2(), "tests.yaml");

        tests[0].InvocationFor("/src/repo").Should().Equal(
            "--manifest=/src/repo/test-e2e/cip/fixture/sanity/promoter-manifest.yaml", "--snapshot-tag=1.0");
        tests[1].InvocationFor("/r").Should().Equal("--thin-manifest-dir=/r/fixture/recursive-thin", "--dry-run=false");
        tests[0].Invocation[0].Should().StartWith("--manifest=$PWD/", "the parsed invocation keeps the placeholder");
    }

    [Fact]
    public void Service_accounts_are_looked_up_by_exact_registry_name()
    {
        var sanity = E2ETestFile.Parse(File2(), "tests.yaml")[0];
        sanity.ServiceAccountFor("us.gcr.io/prod-root/some/subdir").Should().Be("prod@example.iam");
        sanity.ServiceAccountFor("gcr.io/stg-root/golden-foo").Should().BeNull();
    }

    [Fact]
    public void Unknown_keys_and_bad_snapshot_entries_name_file_line_and_field()
    {
        var yaml = $"""
            - name: t
              registries:
              - name: r.io/a
                sa: x
              invocation: []
              timeout: 5m
              snapshots:
              - name: r.io/a
                before:
                - name: foo
                  dmap:
                    "sha256:12": []
                after: []
                during: []
            """;

        var act = () => E2ETestFile.Parse(yaml, "tests.yaml");

        act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            "tests.yaml:6: [0].timeout: unknown key (expected one of: name, registries, invocation, snapshots, expect-error, attach, verify-signatures)",
            "tests.yaml:4: [0].registries[0].sa: unknown key (expected one of: name, service-account, src)",
            "tests.yaml:14: [0].snapshots[0].during: unknown key (expected one of: name, before, after)",
            "tests.yaml:12: [0].snapshots[0].before[0].dmap: 'sha256:12' is not a digest (expected sha256: + 64 lower-case hex)");
    }

    [Fact]
    public void Undefined_aliases_and_duplicate_keys_are_rejected()
    {
        var alias = () => E2ETestFile.Parse("- name: t\n  snapshots:\n  - name: r.io/a\n    before: *nowhere\n", "tests.yaml");
        alias.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            "tests.yaml:4: alias *nowhere refers to no anchor defined before it");

        var duplicate = () => E2ETestFile.Parse("- name: t\n  invocation: []\n  name: u\n", "tests.yaml");
        duplicate.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            "tests.yaml:3: mapping key \"name\" already defined at line 1");
    }

    [Fact]
    public void The_top_level_must_be_a_list_of_named_tests()
    {
        var notList = () => E2ETestFile.Parse("name: t\n", "tests.yaml");
        notList.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            "tests.yaml:1: (document): expected a list, found a mapping");

        var unnamed = () => E2ETestFile.Parse("- invocation: [\"--x\"]\n", "tests.yaml");
        unnamed.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            "tests.yaml:1: [0].name: must not be empty (expected the test name)");
    }
}
