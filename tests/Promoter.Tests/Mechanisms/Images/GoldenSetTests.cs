using FluentAssertions;
using Promoter.Oci;
using Xunit;
using Promoter.Golden;
using Promoter.Yaml;

namespace Promoter.Tests.Images;

public class GoldenSetTests
{
    private static string UpstreamYaml => Path.Combine(ImageTestData.UpstreamRoot, "golden.yaml");

    [Fact]
    public void Upstream_set_describes_the_four_archives_and_the_foo_list()
    {
        var set = GoldenSet.Load(UpstreamYaml);

        set.ArchiveRoot.Should().Be(ImageTestData.ArchiveRoot);

        set.Images.Select(i => (i.Archive, i.Repository, string.Join(",", i.Tags), i.Tagless)).Should().Equal(
            ("bar/1.0.tar", "golden-bar/bar", "1.0", false),
            ("foo/1.0-linux_amd64.tar", "golden-foo/foo", "1.0-linux_amd64", false),
            ("foo/1.0-linux_s390x.tar", "golden-foo/foo", "1.0-linux_s390x", false),
            ("foo/NOTAG-0.tar", "golden-foo/foo", "", true));
        set.Images.Select(i => i.ArchivePath).Should().OnlyContain(p => File.Exists(p));

        // The facts of upstream's build and save: Bazel's author and created_by, amd64 configs, the saver's zone -05:00.
        set.Images.Should().OnlyContain(i => i.Platform == new Platform("amd64", "linux"));
        set.Images.Select(i => i.Build!).Should().OnlyContain(b =>
            b.Author == "Bazel" && b.CreatedBy == "bazel build ..." && b.SavedInTimeZone == TimeSpan.FromHours(-5) && b.Layers.Count == 2);
        set.Images.Select(i => string.Join(",", i.Build!.RepoTags)).Should().Equal(
            "gcr.io/k8s-staging-cip-test/golden-bar/bar:1.0",
            "gcr.io/k8s-staging-cip-test/golden-foo/foo:1.0-linux_amd64",
            "gcr.io/k8s-staging-cip-test/golden-foo/foo:1.0-linux_s390x",
            "gcr.io/k8s-staging-cip-test/golden-foo/foo:NOTAG-0");

        var list = set.ManifestLists.Should().ContainSingle().Subject;
        list.Repository.Should().Be("golden-foo/foo");
        list.Tag.Should().Be("1.0");
        list.Entries.Select(e => set.Image(e.Image).Archive).Should().Equal("foo/1.0-linux_amd64.tar", "foo/1.0-linux_s390x.tar");
        list.Entries.Select(e => e.Platform).Should().Equal(null, new Platform("s390x", "linux"));
    }

    [Fact]
    public void Opening_the_upstream_set_verifies_archives_and_builds_the_list()
    {
        var set = GoldenSet.Load(UpstreamYaml);
        var images = set.OpenImages();
        var index = GoldenSet.BuildManifestList(set.ManifestLists[0], images);

        index.Manifests.Select(m => (m.Digest, m.Platform)).Should().Equal(
            (images["foo-amd64"].ManifestDigest.Value, new Platform("amd64", "linux")),
            (images["foo-s390x"].ManifestDigest.Value, new Platform("s390x", "linux")));
    }

    [Fact]
    public void Platform_that_disagrees_with_the_config_is_reported_with_its_line()
    {
        using var temp = new TempFolder();
        var yaml = Write(temp, """
            images:
              - name: bar
                archive: bar/1.0.tar
                repository: golden-bar/bar
                tags: ["1.0"]
                platform: linux/arm64
            """);
        var set = GoldenSet.Load(yaml, ImageTestData.ArchiveRoot);
        var act = () => set.OpenImages();
        act.Should().Throw<InputFormatException>().WithMessage($"{yaml}:2: images[bar].platform: the file says linux/arm64 but the config of bar/1.0.tar declares linux/amd64*");
    }

    public static TheoryData<string, int, string> BadFiles() => new()
    {
        { "images:\n  - name: bar\n    archive: bar/1.0.tar\n    repository: golden-bar/bar\n    tags: [\"1.0\"]\n    platform: linux/amd64\n    colour: blue\n", 7, "images[0].colour: unknown key (expected one of: name, archive, repository, tags, platform, tagless, build)" },
        { "images:\n  - name: bar\n    archive: bar/1.0.tar\n    repository: golden-bar/bar\n    tags: [\"1.0\"]\n", 2, "images[0].platform: required key 'platform' is missing." },
        { "images:\n  - name: bar\n    archive: bar/2.0.tar\n    repository: golden-bar/bar\n    tags: [\"1.0\"]\n    platform: linux/amd64\n", 3, "images[0].archive: archive *bar/2.0.tar: does not exist*" },
        { "images:\n  - name: bar\n    archive: bar/1.0.tar\n    repository: Golden/Bar\n    tags: [\"1.0\"]\n    platform: linux/amd64\n", 4, "images[0].repository: 'Golden/Bar' is not a repository name: it holds upper-case letters*" },
        { "images:\n  - name: bar\n    archive: bar/1.0.tar\n    repository: golden-bar/bar\n    tags: [\"1.0\", \"-bad\"]\n    platform: linux/amd64\n", 5, "images[0].tags: '-bad' is not a valid tag*" },
        { "images:\n  - name: bar\n    archive: bar/1.0.tar\n    repository: golden-bar/bar\n    tags: [\"1.0\"]\n    platform: amd64\n", 6, "images[0].platform: 'amd64' is not a platform*" },
        { "images:\n  - name: bar\n    archive: bar/1.0.tar\n    repository: golden-bar/bar\n    platform: linux/amd64\n", 2, "images[0].tags: expected at least one tag, or tagless: true*" },
        { "images:\n  - name: bar\n    archive: bar/1.0.tar\n    repository: golden-bar/bar\n    tags: [\"1.0\"]\n    tagless: true\n    platform: linux/amd64\n", 5, "images[0].tags: a tagless image carries no tags*" },
        { "images:\n  - name: bar\n    archive: bar/1.0.tar\n    repository: golden-bar/bar\n    tags: [\"1.0\"]\n    platform: linux/amd64\nmanifestLists:\n  - repository: golden-bar/bar\n    tag: \"2.0\"\n    entries:\n      - image: baz\n", 11, "manifestLists[0].entries[0].image: no image named 'baz'*" },
        { "images:\n  - name: bar\n    archive: bar/1.0.tar\n    repository: golden-bar/bar\n    tags: [\"1.0\"]\n    platform: linux/amd64\nmanifestLists:\n  - repository: golden-foo/foo\n    tag: \"1.0\"\n    entries:\n      - image: bar\n", 11, "manifestLists[0].entries[0].image: image 'bar' is pushed to golden-bar/bar*" },
        { "images:\n  - name: bar\n    archive: bar/1.0.tar\n    repository: golden-bar/bar\n    tags: [\"1.0\"]\n    platform: linux/amd64\nmanifestLists:\n  - repository: golden-bar/bar\n    tag: \"1.0\"\n    entries:\n      - image: bar\n", 9, "manifestLists[0].tag: golden-bar/bar:1.0 is already pushed by 'bar'." },
        { "images: [\n", 2, "(yaml): invalid YAML: *" },
        { "images: {}\n", 1, "images: expected a list, found a mapping" },
        // The shared reader's rules: duplicate keys, unknown keys (the known ones listed), repository names and platforms.
        { "images:\n  - name: bar\n    archive: bar/1.0.tar\n    name: baz\n", 4, "images[0].name: mapping key \"name\" already defined at line 2" },
        { "archiveRoot: a\narchiveRoot: b\n", 2, "archiveRoot: mapping key \"archiveRoot\" already defined at line 1" },
        { Bar + "colour: blue\n", 7, "colour: unknown key (expected one of: images, manifestLists, archiveRoot)" },
        { Bar + "manifestLists:\n  - repository: golden-bar/bar\n    tag: \"2.0\"\n    entries:\n      - image: bar\n        arch: s390x\n", 12, "manifestLists[0].entries[0].arch: unknown key (expected one of: image, platform)" },
        { Bar.Replace("golden-bar/bar", "golden-bar/bar:1.0"), 4, "images[0].repository: 'golden-bar/bar:1.0' is not a repository name: *; expected a repository path without registry, tag or digest*" },
        { Bar + "manifestLists:\n  - repository: golden-bar//bar\n    tag: \"2.0\"\n    entries:\n      - image: bar\n", 8, "manifestLists[0].repository: 'golden-bar//bar' is not a repository name: it has an empty path component*" },
        { Bar.Replace("linux/amd64", "linux/amd64/v1/x"), 6, "images[0].platform: 'linux/amd64/v1/x' is not a platform; expected os/architecture[/variant], e.g. linux/amd64." },
        { Bar + "manifestLists:\n  - repository: golden-bar/bar\n    tag: \"2.0\"\n    entries:\n      - image: bar\n        platform: linux/S390X\n", 12, "manifestLists[0].entries[0].platform: 'linux/S390X' is not a platform*" },
        { "", 1, "(document): the file holds no YAML document; expected a mapping with keys images, manifestLists, archiveRoot." },
        { "images:\n  - ~\n", 2, "images[0]: expected a mapping with keys name, archive, repository, tags, platform, tagless, build, found null" },
    };

    // One valid image (lines 1-6) that the bad files above extend or alter.
    private const string Bar = "images:\n  - name: bar\n    archive: bar/1.0.tar\n    repository: golden-bar/bar\n    tags: [\"1.0\"]\n    platform: linux/amd64\n";

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_files_are_rejected_with_file_line_and_field(string content, int line, string message)
    {
        using var temp = new TempFolder();
        var yaml = Write(temp, content);
        var act = () => GoldenSet.Load(yaml, ImageTestData.ArchiveRoot);
        act.Should().Throw<InputFormatException>()
            .Where(e => e.File == yaml && e.Line == line)
            .WithMessage($"{yaml}:{line}: {message}");
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once_each_with_file_line_and_field()
    {
        using var temp = new TempFolder();
        var yaml = Write(temp, """
            images:
              - name: bar
                archive: bar/1.0.tar
                repository: golden_bar//bar
                tags: ["1.0"]
                platform: linux
                colour: blue
              - name: foo
                archive: foo/1.0-linux_amd64.tar
                repository: golden-foo/foo
                tags: ["1.0-linux_amd64"]
                platform: linux/amd64
            manifestLists:
              - repository: golden-foo/foo
                tag: "1.0"
                entries:
                  - image: foo
                    platform: linux/S390X
            """);

        var act = () => GoldenSet.Load(yaml, ImageTestData.ArchiveRoot);

        var error = act.Should().Throw<InputFormatException>().Which;
        error.Errors.Select(e => (e.At.File, e.At.Line, e.At.Field)).Should().Equal(
            (yaml, 7, "images[0].colour"),
            (yaml, 4, "images[0].repository"),
            (yaml, 6, "images[0].platform"),
            (yaml, 18, "manifestLists[0].entries[0].platform"));
        (error.File, error.Line, error.Field).Should().Be((yaml, 7, "images[0].colour"), "the exception's own location is the first problem's");
        error.Message.Split(Environment.NewLine).Should().Equal(error.Errors.Select(e => e.ToString()));
        error.Message.Split(Environment.NewLine).Should().SatisfyRespectively(
            l => l.Should().Be($"{yaml}:7: images[0].colour: unknown key (expected one of: name, archive, repository, tags, platform, tagless, build)"),
            l => l.Should().StartWith($"{yaml}:4: images[0].repository: 'golden_bar//bar' is not a repository name: it has an empty path component"),
            l => l.Should().Be($"{yaml}:6: images[0].platform: 'linux' is not a platform; expected os/architecture[/variant], e.g. linux/amd64."),
            l => l.Should().Be($"{yaml}:18: manifestLists[0].entries[0].platform: 'linux/S390X' is not a platform; expected os/architecture[/variant], e.g. linux/amd64."));
    }

    [Fact]
    public void A_duplicate_key_stops_the_read_naming_the_key_path_and_the_first_definition()
    {
        using var temp = new TempFolder();
        var yaml = Write(temp, Bar.Replace("    platform: linux/amd64\n", "    platform: linux/amd64\n    tags: [\"2.0\"]\n"));

        var act = () => GoldenSet.Load(yaml, ImageTestData.ArchiveRoot);

        act.Should().Throw<InputFormatException>()
            .Where(e => e.File == yaml && e.Line == 7 && e.Field == "images[0].tags" && e.Errors.Count == 1)
            .WithMessage($"{yaml}:7: images[0].tags: mapping key \"tags\" already defined at line 5");
    }

    private static string Write(TempFolder temp, string content)
    {
        var path = temp.File("set.yaml");
        File.WriteAllText(path, content);
        return path;
    }
}
