using FluentAssertions;
using Promoter.Releases;
using Xunit;

namespace Promoter.Tests.Releases;

public class ChangeClassifierTests
{
    [Theory]
    [InlineData(new string[0], ChangeKind.Nothing)]
    [InlineData(new[] { "VERSION" }, ChangeKind.VersionOnly)]
    [InlineData(new[] { "VERSION", "src/main.cs" }, ChangeKind.VersionAndOther)]
    [InlineData(new[] { "src/main.cs" }, ChangeKind.OtherOnly)]
    [InlineData(new[] { "docs/VERSION" }, ChangeKind.OtherOnly)]
    [InlineData(new[] { "version" }, ChangeKind.OtherOnly)]
    [InlineData(new[] { "docs/VERSION", "VERSION" }, ChangeKind.VersionAndOther)]
    public void Classifies_by_the_root_version_file(string[] paths, ChangeKind expected) =>
        ChangeClassifier.Classify(paths).Should().Be(expected);
}
