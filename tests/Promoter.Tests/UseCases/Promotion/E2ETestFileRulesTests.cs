using FluentAssertions;
using Xunit;
using Promoter.E2E;
using Promoter.Yaml;

namespace Promoter.Tests.Promotion;

/// <summary>
/// Bad-input suite, class "an e2e file that tests nothing or checks what it does not purge": a file with no test fails
/// (naming the file), and so does a snapshot of a registry no test of the file lists (file:line:field).
/// </summary>
public sealed class E2ETestFileRulesTests
{
    private static string Test(string name, string[] registries, params string[] snapshots) =>
        $"- name: {name}\n  registries:\n" + string.Concat(registries.Select(r => $"  - name: {r}\n")) +
        "  invocation: [\"--manifest=$PWD/m.yaml\"]\n  snapshots:\n" +
        string.Concat(snapshots.Select(s => $"  - name: \"{s}\"\n    before: []\n    after: []\n"));

    private static IReadOnlyList<ManifestError> Errors(string yaml)
    {
        var parse = () => E2ETestFile.Parse(yaml, "tests.yaml");
        return parse.Should().Throw<InputFormatException>().Which.Errors;
    }

    [Theory]
    [InlineData("", "tests.yaml: holds no test")]
    [InlineData("# only a comment\n", "tests.yaml: holds no test")]
    [InlineData("[]\n", "tests.yaml:1: holds no test")]
    [InlineData("~\n", "tests.yaml:1: holds no test")]
    public void A_file_with_no_test_fails_naming_the_file(string yaml, string expected)
    {
        Errors(yaml).Should().ContainSingle().Which.ToString().Should().StartWith(expected).And.Contain("a run that tests nothing must not pass");
    }

    [Fact]
    public void A_snapshot_of_a_registry_no_test_lists_fails_with_file_line_and_field()
    {
        var yaml = Test("t", ["gcr.io/stg", "us.gcr.io/prod"], "us.gcr.io/prod/foo", "eu.gcr.io/prod/foo");

        Errors(yaml).Should().ContainSingle().Which.ToString().Should().Be(
            "tests.yaml:10: [0].snapshots[1].name: 'eu.gcr.io/prod/foo' is not in a registry any test of this file lists " +
            "(gcr.io/stg, us.gcr.io/prod); a snapshot must be of a registry the tests purge, or it checks leftovers");
    }

    [Fact]
    public void A_registry_listed_by_another_test_of_the_file_may_be_snapshotted()
    {
        // Upstream's "second promotion changes nothing" shape: the second test lists only staging, so production keeps
        // what the first one promoted, and snapshots production.
        var yaml = Test("first", ["gcr.io/stg", "us.gcr.io/prod"], "us.gcr.io/prod/foo") + Test("second", ["gcr.io/stg"], "us.gcr.io/prod/foo");

        E2ETestFile.Parse(yaml, "tests.yaml").Should().HaveCount(2);
    }

    [Theory]
    [InlineData("us.gcr.io", "the whole host holds more than the listed us.gcr.io/prod")]
    [InlineData("us.gcr.io/production", "prefixes compare whole path components")]
    [InlineData("us.gcr.io:8443/prod", "another port is another registry")]
    public void A_snapshot_beside_or_above_a_listed_registry_is_refused(string snapshot, string because)
    {
        Errors(Test("t", ["us.gcr.io/prod"], snapshot)).Should().ContainSingle(because)
            .Which.Message.Should().StartWith($"'{snapshot}' is not in a registry any test of this file lists (us.gcr.io/prod)");
    }

    [Fact]
    public void Loopback_spellings_of_a_listed_registry_are_that_registry()
    {
        E2ETestFile.Parse(Test("t", ["127.0.0.1:5000/prod"], "localhost:5000/prod/foo", "[::1]:5000/prod"), "tests.yaml")
            .Single().Snapshots.Should().HaveCount(2);
    }

    [Fact]
    public void A_snapshot_name_that_is_not_a_registry_name_is_an_error_with_user_info_redacted()
    {
        var errors = Errors(Test("t", ["us.gcr.io/prod"], "user:secret@us.gcr.io/prod"));

        errors.Should().ContainSingle().Which.ToString().Should().StartWith("tests.yaml:6: [0].snapshots[0].name: ").And.NotContain("secret");
    }

    [Fact]
    public void Every_e2e_file_of_the_repository_follows_the_rules()
    {
        var root = Images.ImageTestData.RepoRoot;
        var files = Directory.GetFiles(Path.Combine(root, "manifests", "e2e"), "tests.yaml", SearchOption.AllDirectories);

        files.Should().HaveCountGreaterThanOrEqualTo(3);
        foreach (var file in files)
            E2ETestFile.Load(file).Should().NotBeEmpty(file);
    }
}
