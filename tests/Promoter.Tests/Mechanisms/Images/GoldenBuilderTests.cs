using FluentAssertions;
using Promoter.Oci;
using Promoter.Tests.Support;
using Xunit;
using Promoter.Archives;
using Promoter.Golden;

namespace Promoter.Tests.Images;

/// <summary>The project's own golden set (images/golden/golden.yaml): reproducible builds and the committed archives.</summary>
public class GoldenBuilderTests
{
    private static string GoldenYaml => Path.Combine(ImageTestData.RepoRoot, "images", "golden", "golden.yaml");
    private static string CommittedArchives => Path.Combine(ImageTestData.RepoRoot, "images", "golden", "archives");

    private static readonly string[] BuiltArchives =
        ["bar/1.0.tar", "foo/1.0-linux_amd64.tar", "foo/1.0-linux_s390x.tar", "foo/1.0-linux_arm64.tar", "foo/NOTAG-0.tar"];

    [Fact]
    public void Building_twice_gives_byte_identical_archives()
    {
        var set = GoldenSet.Load(GoldenYaml);
        using var temp = new TempFolder();
        var first = GoldenBuilder.Build(set, Path.Combine(temp.Path, "a"));
        var second = GoldenBuilder.Build(set, Path.Combine(temp.Path, "b"));

        first.Select(a => a.Archive).Should().Equal(BuiltArchives);
        second.Select(a => (a.Archive, a.Sha256, a.Size)).Should().Equal(first.Select(a => (a.Archive, a.Sha256, a.Size)));
        foreach (var archive in first)
        {
            var bytes = File.ReadAllBytes(archive.Path);
            bytes.Length.Should().Be((int)archive.Size);
            Digest.Of(bytes).Should().Be(archive.Sha256);
            File.ReadAllBytes(Path.Combine(temp.Path, "b", archive.Archive)).Should().Equal(bytes, archive.Archive);
        }
    }

    [Fact]
    public void Committed_archives_equal_a_fresh_build()
    {
        // The CI check: the archives committed under images/golden/archives are what the sources build.
        var set = GoldenSet.Load(GoldenYaml);
        set.ArchiveRoot.Should().Be(CommittedArchives);
        BuiltArchives.Should().OnlyContain(a => File.Exists(Path.Combine(CommittedArchives, a)));

        GoldenBuilder.Verify(set, set.ArchiveRoot).Should().BeEmpty(
            "the committed golden archives must be rebuilt with ./build.sh --target ContainerizeGolden after a source change");
    }

    [Fact]
    public void Verify_reports_flipped_byte_truncation_missing_and_extra_files_and_writes_nothing()
    {
        var set = GoldenSet.Load(GoldenYaml);
        using var temp = new TempFolder();
        var built = GoldenBuilder.Build(set, temp.Path);
        var bar = Path.Combine(temp.Path, "bar", "1.0.tar");
        var flipped = File.ReadAllBytes(bar);
        flipped[1000] ^= 0x01;
        File.WriteAllBytes(bar, flipped);
        var s390x = Path.Combine(temp.Path, "foo", "1.0-linux_s390x.tar");
        var truncated = File.ReadAllBytes(s390x)[..4096];
        File.WriteAllBytes(s390x, truncated);
        File.Delete(Path.Combine(temp.Path, "foo", "NOTAG-0.tar"));
        File.WriteAllText(Path.Combine(temp.Path, "foo", "stray.txt"), "not an archive");

        var differences = GoldenBuilder.Verify(set, temp.Path);

        var size = built[0].Size;
        differences.Should().Equal(
            new GoldenDifference("bar/1.0.tar", GoldenDifferenceKind.Differs, 1000, size, size),
            new GoldenDifference("foo/1.0-linux_s390x.tar", GoldenDifferenceKind.Differs, 4096, 4096, built[2].Size),
            new GoldenDifference("foo/NOTAG-0.tar", GoldenDifferenceKind.Missing, null, null, built[4].Size),
            new GoldenDifference("foo/stray.txt", GoldenDifferenceKind.Extra, null, 14, null));
        differences[0].ToString().Should().Be($"bar/1.0.tar: differs at byte 1000 (committed {size} bytes, built {size} bytes)");

        // Verify only reads the committed folder.
        File.ReadAllBytes(bar).Should().Equal(flipped);
        File.ReadAllBytes(s390x).Should().Equal(truncated);
        File.Exists(Path.Combine(temp.Path, "foo", "NOTAG-0.tar")).Should().BeFalse();
    }

    [Fact]
    public void Built_archives_read_back_through_DockerArchive_with_the_platform_and_repo_tags_of_the_yaml()
    {
        var set = GoldenSet.Load(GoldenYaml);
        using var temp = new TempFolder();
        GoldenBuilder.Build(set, temp.Path);

        foreach (var image in set.Images)
        {
            var read = DockerArchive.Open(Path.Combine(temp.Path, image.Archive)).Images.Should().ContainSingle().Subject;
            read.Platform.Should().Be(image.Platform, image.Name);
            read.RepoTags.Should().Equal(image.Build!.RepoTags);
            read.Layers.Should().HaveCount(2);
        }
        set.Images.Select(i => (i.Name, i.Platform.ToString())).Should().Equal(
            ("bar", "linux/amd64"), ("foo-amd64", "linux/amd64"), ("foo-s390x", "linux/s390x"),
            ("foo-arm64", "linux/arm64"), ("foo-notag", "linux/amd64"));
        set.Image("bar").Build!.RepoTags.Should().Equal("golden-bar/bar:1.0");
        set.Image("foo-notag").Build!.RepoTags.Should().Equal("golden-foo/foo:NOTAG-0");
        set.Image("foo-notag").Tagless.Should().BeTrue();

        // The same set over the built folder: every config declares its platform, and the list has three children.
        var rebuilt = GoldenSet.Load(GoldenYaml, temp.Path);
        var images = rebuilt.OpenImages();
        var list = GoldenSet.BuildManifestList(rebuilt.ManifestLists.Should().ContainSingle().Subject, images);
        list.Manifests.Select(m => (m.Digest, m.Platform)).Should().Equal(
            (images["foo-amd64"].ManifestDigest.Value, new Platform("amd64", "linux")),
            (images["foo-s390x"].ManifestDigest.Value, new Platform("s390x", "linux")),
            (images["foo-arm64"].ManifestDigest.Value, new Platform("arm64", "linux")));
    }

    [Fact]
    public void Data_layers_equal_the_upstream_golden_layers()
    {
        // Same data file, path and mode as upstream's Bazel build: the layer tars (hence diff_ids) are upstream's.
        var set = GoldenSet.Load(GoldenYaml);
        using var temp = new TempFolder();
        GoldenBuilder.Build(set, temp.Path);

        foreach (var (archive, _, _) in ImageTestData.Upstream)
        {
            var ours = DockerArchive.Open(Path.Combine(temp.Path, archive)).Images[0];
            var upstream = DockerArchive.Open(ImageTestData.Archive(archive)).Images[0];
            ours.Layers.Select(l => l.DiffId).Should().Equal(upstream.Layers.Select(l => l.DiffId), archive);
        }
    }

    [ToolFact("docker")]
    public void Docker_loads_a_built_archive_with_its_config_digest_and_architecture()
    {
        var set = GoldenSet.Load(GoldenYaml);
        using var temp = new TempFolder();
        var built = GoldenBuilder.Build(set, temp.Path).Single(a => a.Image == "foo-arm64");
        var expected = DockerArchive.Open(built.Path).Images[0];
        var repoTag = set.Image("foo-arm64").Build!.RepoTags.Single();

        // Leave the daemon as found: remove the tag afterwards only if it was not there before.
        var existed = ExternalTool.Run("docker", "image", "inspect", repoTag).ExitCode == 0;
        try
        {
            var load = ExternalTool.Run("docker", "load", "-i", built.Path);
            load.ExitCode.Should().Be(0, load.Error);
            load.Output.Should().Contain($"Loaded image: {repoTag}");

            var inspect = ExternalTool.Run("docker", "image", "inspect", "--format", "{{.Id}} {{.Os}}/{{.Architecture}} {{range .RootFS.Layers}}{{.}} {{end}}", repoTag);
            inspect.ExitCode.Should().Be(0, inspect.Error);
            inspect.Output.Trim().Should().Be(
                $"{expected.ConfigDigest.Value} linux/arm64 {string.Join(" ", expected.Layers.Select(l => l.DiffId.Value))}");
        }
        finally
        {
            if (!existed) ExternalTool.Run("docker", "rmi", repoTag);
        }
    }
}
