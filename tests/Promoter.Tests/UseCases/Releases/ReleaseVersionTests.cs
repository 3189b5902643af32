using FluentAssertions;
using Promoter.Releases;
using Xunit;

namespace Promoter.Tests.Releases;

public class ReleaseVersionTests
{
    [Theory]
    [InlineData("1.2.3", "1.2.3", "v1.2.3")]
    [InlineData("v1.2.3", "1.2.3", "v1.2.3")]
    [InlineData("1.2.3\n", "1.2.3", "v1.2.3")]
    [InlineData("  0.1.0\r\n", "0.1.0", "v0.1.0")]
    [InlineData("10.20.30", "10.20.30", "v10.20.30")]
    [InlineData("1.0.0+build.7", "1.0.0", "v1.0.0")]
    public void Parses_release_versions_and_derives_the_tag(string text, string normalized, string tag)
    {
        var version = ReleaseVersion.Parse(text);

        version.Normalized.Should().Be(normalized);
        version.Tag.Should().Be(tag);
        version.IsPrerelease.Should().BeFalse();
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1")]
    [InlineData("1.2.3.4")]
    [InlineData("01.2.3")]
    [InlineData("1.2.3-")]
    [InlineData("V1.2.3")]
    [InlineData("vv1.2.3")]
    [InlineData("1.2.x")]
    [InlineData("release")]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("1.2.3\n1.2.4")]
    public void Rejects_text_that_is_not_strict_semver(string text)
    {
        ReleaseVersion.TryParse(text, allowPrerelease: true, out var version, out var error).Should().BeFalse();
        version.Should().BeNull();
        error.Should().NotBeNullOrWhiteSpace();

        var parse = () => ReleaseVersion.Parse(text, allowPrerelease: true, source: "VERSION at abc123");
        parse.Should().Throw<FormatException>().Which.Message.Should().StartWith("VERSION at abc123: ");
    }

    [Fact]
    public void Error_quotes_the_text_and_the_expected_form()
    {
        ReleaseVersion.TryParse("1.2", allowPrerelease: false, out _, out var error);

        error.Should().Contain("'1.2'").And.Contain("MAJOR.MINOR.PATCH");
    }

    [Fact]
    public void Prerelease_is_refused_unless_allowed()
    {
        ReleaseVersion.TryParse("1.3.0-rc.1", allowPrerelease: false, out var refused, out var error).Should().BeFalse();
        refused.Should().BeNull();
        error.Should().Contain("1.3.0-rc.1").And.Contain("pre-release");

        ReleaseVersion.TryParse("v1.3.0-rc.1", allowPrerelease: true, out var allowed, out _).Should().BeTrue();
        allowed!.IsPrerelease.Should().BeTrue();
        allowed.Tag.Should().Be("v1.3.0-rc.1");
    }

    [Theory]
    [InlineData("1.0.0", "1.0.1")]
    [InlineData("1.0.1", "1.1.0")]
    [InlineData("1.9.0", "1.10.0")]
    [InlineData("1.10.0", "2.0.0")]
    [InlineData("2.0.0-rc.1", "2.0.0")]
    [InlineData("2.0.0-alpha", "2.0.0-alpha.1")]
    [InlineData("2.0.0-alpha.1", "2.0.0-beta")]
    [InlineData("2.0.0-rc.2", "2.0.0-rc.10")]
    public void Orders_by_semver_precedence(string lower, string higher)
    {
        var low = ReleaseVersion.Parse(lower, allowPrerelease: true);
        var high = ReleaseVersion.Parse(higher, allowPrerelease: true);

        (high > low).Should().BeTrue();
        (low < high).Should().BeTrue();
        (low > high).Should().BeFalse();
        low.CompareTo(high).Should().BeNegative();
    }

    [Fact]
    public void Build_metadata_does_not_change_precedence()
    {
        var a = ReleaseVersion.Parse("1.2.3+a");
        var b = ReleaseVersion.Parse("v1.2.3+b");

        a.Equals(b).Should().BeTrue();
        (a > b).Should().BeFalse();
        a.GetHashCode().Should().Be(b.GetHashCode());
    }
}
