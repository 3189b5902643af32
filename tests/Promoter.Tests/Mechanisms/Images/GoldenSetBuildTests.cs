using FluentAssertions;
using Xunit;
using Promoter.Archives;
using Promoter.Golden;
using Promoter.Yaml;

namespace Promoter.Tests.Images;

/// <summary>The <c>build:</c> section and <c>archiveRoot</c> key of golden set files.</summary>
public class GoldenSetBuildTests
{
    // One image whose build section is the last lines; tests append or replace those lines.
    private const string Head = "images:\n  - name: bar\n    archive: bar/1.0.tar\n    repository: golden-bar/bar\n    tags: [\"1.0\"]\n    platform: linux/arm64\n";

    [Fact]
    public void Build_section_is_read_with_sources_modes_and_default_repo_tags()
    {
        using var temp = new TempFolder();
        var yaml = Write(temp, "archiveRoot: out\n" + Head + """
                build:
                  author: me
                  layers:
                    - files:
                        - path: golden/bar/1.0
                          source: src/bar
                        - path: etc/conf
                          source: src/bar
                          mode: 0644
                    - files: []
            """);

        var set = GoldenSet.Load(yaml);

        set.ArchiveRoot.Should().Be(Path.Combine(temp.Path, "out"));
        var image = set.Images.Should().ContainSingle().Subject;
        image.ArchivePath.Should().Be(Path.Combine(temp.Path, "out", "bar", "1.0.tar"));
        var build = image.Build!;
        build.RepoTags.Should().Equal("golden-bar/bar:1.0");
        build.Author.Should().Be("me");
        build.CreatedBy.Should().BeNull();
        build.SavedInTimeZone.Should().Be(TimeSpan.Zero, "UTC when not given");
        build.Layers.Select(l => l.Files.Count).Should().Equal(2, 0);
        build.Layers[0].Files.Select(f => (f.Path, f.SourcePath, f.Mode, f.Line)).Should().Equal(
            ("golden/bar/1.0", Path.Combine(temp.Path, "src", "bar"), LayerFile.ReadOnlyExecutableMode, 12),
            ("etc/conf", Path.Combine(temp.Path, "src", "bar"), 0x1A4, 14));

        var golden = GoldenBuilder.ToGoldenImage(image);
        golden.Architecture.Should().Be("arm64");
        golden.Os.Should().Be("linux");
        golden.Layers[0].Files.Select(f => (f.Path, System.Text.Encoding.UTF8.GetString(f.Content), f.Mode)).Should().Equal(
            ("golden/bar/1.0", "bar 1.0\n", LayerFile.ReadOnlyExecutableMode), ("etc/conf", "bar 1.0\n", 0x1A4));
    }

    [Fact]
    public void Archive_root_argument_wins_over_the_key_and_one_of_them_is_required()
    {
        using var temp = new TempFolder();
        var build = "    build:\n      layers:\n        - files: []\n";
        var withKey = Write(temp, "archiveRoot: out\n" + Head + build, "with-key.yaml");
        GoldenSet.Load(withKey, "/elsewhere").ArchiveRoot.Should().Be("/elsewhere");

        var withoutKey = Write(temp, Head + build, "without-key.yaml");
        var act = () => GoldenSet.Load(withoutKey);
        act.Should().Throw<InputFormatException>()
            .WithMessage($"{withoutKey}:1: (document).archiveRoot: no archive root was given and the file has no 'archiveRoot' key*");
    }

    [Fact]
    public void A_platform_variant_is_written_to_the_config()
    {
        using var temp = new TempFolder();
        var yaml = Write(temp, Head.Replace("linux/arm64", "linux/arm/v7") + "    build:\n      layers:\n        - files: []\n");
        var set = GoldenSet.Load(yaml, temp.Path);
        GoldenBuilder.Build(set, temp.Path);

        DockerArchive.Open(Path.Combine(temp.Path, "bar", "1.0.tar")).Images[0].Platform
            .Should().Be(new Promoter.Oci.Platform("arm", "linux", "v7"));
    }

    [Theory]
    [InlineData("Z", 0, 0)]
    [InlineData("\"-05:00\"", -5, 0)]
    [InlineData("\"+05:30\"", 5, 30)]
    [InlineData("\"-23:59\"", -23, -59)]
    [InlineData("\"+00:00\"", 0, 0)]
    public void The_saver_time_zone_is_read_as_a_utc_offset(string value, int hours, int minutes)
    {
        using var temp = new TempFolder();
        var yaml = Write(temp, Head + $"    build:\n      savedInTimeZone: {value}\n      layers:\n        - files: []\n");
        var image = GoldenSet.Load(yaml, temp.Path).Images[0];

        image.Build!.SavedInTimeZone.Should().Be(new TimeSpan(hours, minutes, 0));
        GoldenBuilder.ToGoldenImage(image).SavedInTimeZone.Should().Be(new TimeSpan(hours, minutes, 0));
    }

    [Fact]
    public void Optional_keys_written_as_yaml_null_count_as_absent()
    {
        using var temp = new TempFolder();
        var yaml = Write(temp, Head + "    tagless: ~\n    build:\n      repoTags:\n      author: ~\n      savedInTimeZone:\n      layers:\n        - files: []\n");

        var image = GoldenSet.Load(yaml, temp.Path).Images[0];

        image.Tagless.Should().BeFalse();
        image.Build!.RepoTags.Should().Equal("golden-bar/bar:1.0");
        image.Build.Author.Should().BeNull();
        image.Build.SavedInTimeZone.Should().Be(TimeSpan.Zero);
    }

    public static TheoryData<string, int, string> BadBuilds() => new()
    {
        { "    build:\n      layers:\n        - files: []\n      colour: blue\n", 10, "images[0].build.colour: unknown key (expected one of: repoTags, author, createdBy, savedInTimeZone, layers)" },
        { "    build:\n      author: me\n", 8, "images[0].build.layers: required key 'layers' is missing." },
        { "    build:\n      layers: []\n", 8, "images[0].build.layers: expected a non-empty list." },
        { "    build:\n      layers:\n        - files: {}\n", 9, "images[0].build.layers[0].files: expected a list, found a mapping" },
        { "    build:\n      layers:\n        - files:\n            - path: golden/bar/1.0\n              source: src/missing\n", 11, "images[0].build.layers[0].files[0].source: source file *src/missing: does not exist*" },
        { "    build:\n      layers:\n        - files:\n            - path: golden/bar/1.0\n              source: ../src/bar\n", 11, "images[0].build.layers[0].files[0].source: '../src/bar' must be a path relative to the golden set file's folder*" },
        { "    build:\n      layers:\n        - files:\n            - path: golden/../etc/passwd\n              source: src/bar\n", 10, "images[0].build.layers[0].files[0].path: 'golden/../etc/passwd' is not a path in the image*" },
        { "    build:\n      layers:\n        - files:\n            - path: golden/bar\n              source: src/bar\n            - path: golden/bar/1.0\n              source: src/bar\n", 12, "images[0].build.layers[0].files[1].path: 'golden/bar/1.0' collides with 'golden/bar'*" },
        { "    build:\n      layers:\n        - files:\n            - path: golden/bar/1.0\n              source: src/bar\n              mode: \"0999\"\n", 12, "images[0].build.layers[0].files[0].mode: '0999' is not a permission mode*" },
        { "    build:\n      layers:\n        - files:\n            - source: src/bar\n", 10, "images[0].build.layers[0].files[0].path: required key 'path' is missing." },
        { "    build:\n      repoTags: [\"golden-bar/bar\"]\n      layers:\n        - files: []\n", 8, "images[0].build.repoTags: 'golden-bar/bar' is not a repository:tag reference*" },
        { "    build:\n      layers:\n        - files: []\n  - name: bar2\n    archive: bar/1.0.tar\n    repository: golden-bar/bar\n    tags: [\"2.0\"]\n    platform: linux/amd64\n    build:\n      layers:\n        - files: []\n", 10, "images[1].archive: archive 'bar/1.0.tar' is also the archive of image 'bar'*" },
        { "    build: yes\n", 7, "images[0].build: expected a mapping with keys repoTags, author, createdBy, savedInTimeZone, layers, found a scalar" },
        { "    build:\n      savedInTimeZone: EST\n      layers:\n        - files: []\n", 8, "images[0].build.savedInTimeZone: 'EST' is not a UTC offset; expected Z or +hh:mm / -hh:mm*" },
        { "    build:\n      savedInTimeZone: \"-5:00\"\n      layers:\n        - files: []\n", 8, "images[0].build.savedInTimeZone: '-5:00' is not a UTC offset*" },
        { "    build:\n      savedInTimeZone: \"+24:00\"\n      layers:\n        - files: []\n", 8, "images[0].build.savedInTimeZone: '+24:00' is not a UTC offset*" },
        { "    build:\n      savedInTimeZone: \"-05:60\"\n      layers:\n        - files: []\n", 8, "images[0].build.savedInTimeZone: '-05:60' is not a UTC offset*" },
        { "    build:\n      savedInTimeZone: \"\"\n      layers:\n        - files: []\n", 8, "images[0].build.savedInTimeZone: expected a non-empty text value." },
        { "    build:\n      savedInTimeZone: [\"-05:00\"]\n      layers:\n        - files: []\n", 8, "images[0].build.savedInTimeZone: expected a string, found a list" },
        { "    build:\n      layers:\n        - files:\n            - path: golden/bar/1.0\n              source: src/bar\n              source: src/bar\n", 12, "images[0].build.layers[0].files[0].source: mapping key \"source\" already defined at line 11" },
        { "    build:\n      layers:\n        - files:\n            - path: golden/bar/1.0\n              source: src/bar\n              owner: root\n", 12, "images[0].build.layers[0].files[0].owner: unknown key (expected one of: path, source, mode)" },
        { "    build:\n      layers:\n        - files: []\n          diff: none\n", 10, "images[0].build.layers[0].diff: unknown key (expected one of: files)" },
    };

    [Theory]
    [MemberData(nameof(BadBuilds))]
    public void Bad_build_sections_are_rejected_with_file_line_and_field(string build, int line, string message)
    {
        using var temp = new TempFolder();
        var yaml = Write(temp, Head + build);
        var act = () => GoldenSet.Load(yaml, temp.Path);
        act.Should().Throw<InputFormatException>()
            .Where(e => e.File == yaml && e.Line == line)
            .WithMessage($"{yaml}:{line}: {message}");
    }

    private static string Write(TempFolder temp, string content, string name = "set.yaml")
    {
        Directory.CreateDirectory(temp.File("src"));
        File.WriteAllText(temp.File(Path.Combine("src", "bar")), "bar 1.0\n");
        var path = temp.File(name);
        File.WriteAllText(path, content);
        return path;
    }
}
