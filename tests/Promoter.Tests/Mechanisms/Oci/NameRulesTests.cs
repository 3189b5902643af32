using FluentAssertions;
using Promoter.Oci;
using Xunit;
using Promoter.Registry;

namespace Promoter.Tests.Oci;

/// <summary>The host and repository-name grammar every check and the client share.</summary>
public sealed class NameRulesTests
{
    [Theory]
    [InlineData("gcr.io", "gcr.io", null, false)]
    [InlineData("US.GCR.IO", "us.gcr.io", null, false)]
    [InlineData("127.0.0.1:5000", "127.0.0.1", 5000, true)]
    [InlineData("localhost:5000", "localhost", 5000, true)]
    [InlineData("[::1]:5000", "::1", 5000, true)]
    [InlineData("127.8.9.10", "127.8.9.10", null, true)]
    [InlineData("europe-docker.pkg.dev", "europe-docker.pkg.dev", null, false)]
    public void Accepts_hosts_of_the_reference_grammar(string text, string name, int? port, bool loopback)
    {
        var host = RegistryHost.Parse(text);

        host.Name.Should().Be(name);
        host.Port.Should().Be(port);
        host.IsLoopback.Should().Be(loopback);
    }

    [Theory]
    [InlineData("127.0.0.1:5000@10.255.255.1", "user-info")]
    [InlineData("admin:hunter2@registry.example.com", "user-info")]
    [InlineData("https://gcr.io", "scheme")]
    [InlineData("gcr.io?x=1", "query")]
    [InlineData("gcr.io#frag", "fragment")]
    [InlineData("::1", "brackets")]
    [InlineData("[::1", "without ']'")]
    [InlineData("[127.0.0.1]:5000", "not an IPv6")]
    [InlineData("gcr.io:0", "port")]
    [InlineData("gcr.io:70000", "port")]
    [InlineData("gcr.io:http", "port")]
    [InlineData("-bad-.io", "DNS name")]
    [InlineData("bad..io", "DNS name")]
    [InlineData("under_score.io", "DNS name")]
    [InlineData("", "empty")]
    [InlineData("gcr .io", "whitespace")]
    public void Refuses_anything_else_and_says_why(string text, string why)
    {
        var act = () => RegistryHost.Parse(text);

        act.Should().Throw<FormatException>().WithMessage($"*{why}*");
    }

    [Fact]
    public void Errors_never_repeat_user_info()
    {
        var act = () => RegistryPath.Parse("admin:hunter2@registry.example.com/prod");

        act.Should().Throw<FormatException>().Which.Message.Should().NotContain("hunter2").And.Contain("***@registry.example.com");
        RegistryHost.Redact("gcr.io/foo@sha256:abc").Should().Be("gcr.io/foo@sha256:abc", "a digest reference is not user-info");
    }

    [Theory]
    [InlineData("admin:hunter2@gcr.io/prod", "***@gcr.io/prod")]
    [InlineData("admin:hun/ter2@gcr.io/prod", "***@gcr.io/prod")] // a '/' in the secret does not make it a path
    [InlineData("https://admin:hunter2@github.com/x/y.git", "https://***@github.com/x/y.git")]
    [InlineData("a:hunter2@h1,b:hunter2@h2/x", "***@h2/x")] // a list: everything up to the last user-info goes
    [InlineData("gcr.io=admin:hunter2@127.0.0.1:5000", "***@127.0.0.1:5000")]
    [InlineData("admin:hunter2@gcr.io/foo@sha256:abc", "***@gcr.io/foo@sha256:abc")]
    [InlineData("gcr.io/foo:1.0", "gcr.io/foo:1.0")]
    public void Redact_removes_every_user_info_and_keeps_digests(string text, string shown)
    {
        RegistryHost.Redact(text).Should().Be(shown).And.NotContain("hunter2");
    }

    [Theory]
    [InlineData("localhost:5000", "127.0.0.1:5000")]
    [InlineData("[::1]:5000", "127.0.0.1:5000")]
    [InlineData("LOCALHOST:5000", "localhost:5000")]
    [InlineData("gcr.io", "gcr.io:443")]
    [InlineData("GCR.io", "gcr.io")]
    public void Every_spelling_of_one_registry_has_one_identity(string a, string b) =>
        RegistryHost.Parse(a).Identity.Should().Be(RegistryHost.Parse(b).Identity);

    [Theory]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5001")]
    [InlineData("gcr.io", "us.gcr.io")]
    [InlineData("gcr.io:5000", "gcr.io")]
    public void Different_registries_have_different_identities(string a, string b) =>
        RegistryHost.Parse(a).Identity.Should().NotBe(RegistryHost.Parse(b).Identity);

    [Theory]
    [InlineData("127.0.0.1:5000/stg", "127.0.0.1:5000/stg", true)]
    [InlineData("127.0.0.1:5000/stg", "127.0.0.1:5000", true)]
    [InlineData("127.0.0.1:5000/stg", "localhost:5000/stg/golden-foo", true)]
    [InlineData("127.0.0.1:5000/stg", "[::1]:5000/stg", true)]
    [InlineData("127.0.0.1:5000/stg", "127.0.0.1:5000/stg2", false)]
    [InlineData("127.0.0.1:5000/stg", "127.0.0.1:5000/prod/stg", false)]
    [InlineData("127.0.0.1:5000/stg", "127.0.0.1:5001/stg", false)]
    public void Registry_paths_overlap_by_host_identity_and_path_prefix_in_either_direction(string a, string b, bool overlap)
    {
        RegistryPath.Parse(a).Overlaps(RegistryPath.Parse(b)).Should().Be(overlap);
        RegistryPath.Parse(b).Overlaps(RegistryPath.Parse(a)).Should().Be(overlap);
    }

    [Theory]
    [InlineData("foo", null)]
    [InlineData("golden-foo/foo", null)]
    [InlineData("a__b/c.d/e---f", null)]
    [InlineData("Foo", "upper-case")]
    [InlineData("foo/../bar", "expected lower-case components")]
    [InlineData("foo//bar", "empty path component")]
    [InlineData("foo?x", "expected lower-case components")]
    [InlineData("/foo", "empty path component")]
    [InlineData("foo/", "empty path component")]
    [InlineData("foo___bar", "expected lower-case components")]
    [InlineData("-foo", "expected lower-case components")]
    [InlineData("", "empty")]
    public void Repository_names_follow_the_distribution_grammar(string name, string? problem)
    {
        if (problem is null) RepositoryName.Problem(name).Should().BeNull();
        else RepositoryName.Problem(name).Should().Contain(problem);
    }

    [Fact]
    public void Repository_names_have_a_length_limit() =>
        RepositoryName.Problem(new string('a', 256)).Should().Contain("at most 255");

    [Theory]
    [InlineData("Gcr.io/foo:1.0", "gcr.io/foo:1.0")]
    [InlineData("127.0.0.1:5000/a/b@sha256:0000000000000000000000000000000000000000000000000000000000000000", null)]
    public void Image_references_use_the_same_host_rule(string text, string? canonical)
    {
        var reference = ImageReference.Parse(text);
        if (canonical is not null) reference.ToString().Should().Be(canonical);
        var userInfo = () => ImageReference.Parse("u:p@10.0.0.1:5000/a/b:1");
        userInfo.Should().Throw<FormatException>().Which.Message.Should().NotContain("u:p");
    }

    [Theory]
    [InlineData("linux/amd64", "linux", "amd64", null)]
    [InlineData("linux/arm64/v8", "linux", "arm64", "v8")]
    public void Platforms_parse_in_one_place(string text, string os, string architecture, string? variant) =>
        Platform.Parse(text).Should().Be(new Platform(architecture, os, variant));

    [Theory]
    [InlineData("linux")]
    [InlineData("Linux/amd64")]
    [InlineData("linux//amd64")]
    [InlineData("linux/amd64/v8/x")]
    public void Bad_platforms_are_refused(string text) =>
        ((Action)(() => Platform.Parse(text))).Should().Throw<FormatException>().WithMessage("*os/architecture*");
}
