using System.Xml.Linq;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.E2E;

/// <summary>
/// The E2E task through the real build program (oci engine, registries the run starts for every host the file names):
/// wrong <c>after</c> expectations fail with a readable diff in the output and in junit_e2e.xml; a passing run writes
/// a JUnit file without failures.
/// </summary>
public sealed class E2ETaskTests : IDisposable
{
    private const string Bar = GoldenDigests.Upstream.Bar; // oci engine, golden-bar/bar:1.0
    private const string Absent = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private readonly string _folder = Directory.CreateTempSubdirectory("e2e-task-").FullName;

    public E2ETaskTests()
    {
        File.WriteAllText(Path.Combine(_folder, "bar.yaml"), $"""
            registries:
            - name: gcr.io/k8s-staging-cip-test/golden-bar
              service-account: promoter@example.iam.gserviceaccount.com
              src: true
            - name: us.gcr.io/k8s-cip-test-prod/golden-bar
              service-account: promoter@example.iam.gserviceaccount.com
            images:
            - name: bar
              dmap:
                {Bar}: ["1.0"]
            """);
        // A source repository the golden set does not have: the registry answers 404 for it.
        File.WriteAllText(Path.Combine(_folder, "missing-source.yaml"), $"""
            registries:
            - name: gcr.io/k8s-staging-cip-test/golden-missing
              service-account: promoter@example.iam.gserviceaccount.com
              src: true
            - name: us.gcr.io/k8s-cip-test-prod/golden-missing
              service-account: promoter@example.iam.gserviceaccount.com
            images:
            - name: bar
              dmap:
                {Bar}: ["1.0"]
            """);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Case(string name, string manifest, string snapshot, string after) => $"""
        - name: "{name}"
          registries:
          - name: gcr.io/k8s-staging-cip-test
            service-account: promoter@example.iam.gserviceaccount.com
          - name: us.gcr.io/k8s-cip-test-prod
            service-account: promoter@example.iam.gserviceaccount.com
          invocation:
          - "--manifest={manifest}"
          snapshots:
          - name: {snapshot}
            before: []
            after:
        {after}

        """;

    private static string BarAfter(string digest, string tags) => $"""
            - name: bar
              dmap:
                {digest}: {tags}
        """;

    [Fact]
    public void Wrong_after_expectations_fail_with_a_readable_diff_and_one_junit_case_per_test()
    {
        var bar = Path.Combine(_folder, "bar.yaml");
        var file = WriteTests("failing.yaml",
            Case("right", bar, "us.gcr.io/k8s-cip-test-prod/golden-bar", BarAfter(Bar, """["1.0"]""")),
            Case("wrong digest", bar, "us.gcr.io/k8s-cip-test-prod/golden-bar", BarAfter(Absent, """["1.0"]""")),
            Case("wrong tags", bar, "us.gcr.io/k8s-cip-test-prod/golden-bar", BarAfter(Bar, """["1.0", "2.0"]""")),
            Case("missing source", Path.Combine(_folder, "missing-source.yaml"), "us.gcr.io/k8s-cip-test-prod/golden-missing",
                BarAfter(Bar, """["1.0"]""")));

        var (result, junit) = RunE2E(file);

        result.ExitCode.Should().NotBe(0);
        var output = result.Output;
        output.Should().Contain("E2E: 1 passed, 3 failed");
        output.Should().MatchRegex(@"\[right\] +[0-9.]+s PASSED");
        output.Should().Contain($"bar: missing digest {Absent} [\"1.0\"]").And.Contain($"bar: extra digest {Bar} [\"1.0\"]");
        output.Should().Contain($"bar: {Bar}: tags differ: expected [\"1.0\", \"2.0\"], actual [\"1.0\"]");
        output.Should().Contain($"LOST  gcr.io/k8s-staging-cip-test/golden-missing/bar@{Bar} is not in the source registry")
            .And.Contain("missing image bar (1 digest(s) expected)");
        output.Should().Contain("e2e test 'wrong digest' failed: snapshot after us.gcr.io/k8s-cip-test-prod/golden-bar differs from the expectation")
            .And.Contain("e2e test 'wrong tags' failed").And.Contain("e2e test 'missing source' failed").And.NotContain("e2e test 'right' failed");

        var suite = junit.Root!.Element("testsuite")!;
        suite.Attribute("tests")!.Value.Should().Be("4");
        suite.Attribute("failures")!.Value.Should().Be("3");
        var cases = suite.Elements("testcase").ToDictionary(c => c.Attribute("name")!.Value);
        cases.Keys.Should().Equal("right", "wrong digest", "wrong tags", "missing source");
        cases["right"].Element("failure").Should().BeNull();
        cases["wrong digest"].Element("failure")!.Value.Should().Contain($"missing digest {Absent}").And.Contain($"extra digest {Bar}");
        cases["wrong tags"].Element("failure")!.Value.Should().Contain("tags differ");
        cases["missing source"].Element("failure")!.Value.Should().Contain("missing image bar");
        cases["missing source"].Element("system-out")!.Value.Should().Contain("LOST");
    }

    [Fact]
    public void A_passing_run_writes_junit_without_failures()
    {
        var file = WriteTests("passing.yaml",
            Case("promote bar", Path.Combine(_folder, "bar.yaml"), "us.gcr.io/k8s-cip-test-prod/golden-bar", BarAfter(Bar, """["1.0"]""")));

        var (result, junit) = RunE2E(file);

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain("E2E: 1 passed, 0 failed");
        var suite = junit.Root!.Element("testsuite")!;
        suite.Attribute("tests")!.Value.Should().Be("1");
        suite.Attribute("failures")!.Value.Should().Be("0");
        suite.Elements("testcase").Should().ContainSingle().Which.Attribute("name")!.Value.Should().Be("promote bar");
        junit.Descendants("failure").Should().BeEmpty();
    }

    private string WriteTests(string name, params string[] cases)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, string.Concat(cases));
        return path;
    }

    private (HostRunner.Result Result, XDocument Junit) RunE2E(string file)
    {
        var artifacts = Directory.CreateDirectory(Path.Combine(_folder, "artifacts-" + Path.GetFileNameWithoutExtension(file))).FullName;
        // LoadTarballs and E2E only (exclusive): the Compile dependency would build the whole solution.
        var result = BuildProgram.RunWith(new Dictionary<string, string?> { ["ARTIFACTS"] = artifacts },
            "--target", "LoadTarballs", "--target", "E2E", "--exclusive", $"--e2e-file={file}", $"--golden={BuildProgram.UpstreamGoldenSet}");
        var junit = Path.Combine(artifacts, "junit_e2e.xml");
        File.Exists(junit).Should().BeTrue(result.Output);
        return (result, XDocument.Load(junit));
    }
}
