using FluentAssertions;
using Promoter.Images;
using Promoter.Inputs;
using Promoter.Promotion;
using Promoter.Registry;
using Promoter.Releases;
using Promoter.Tests.Promotion;
using Promoter.Tests.Support;
using Xunit;
using Promoter.Archives;
using Promoter.E2E;
using Promoter.Golden;
using Promoter.Yaml;

namespace Promoter.Tests.Inputs;

/// <summary>
/// Bad-input suite, class "not a regular file": every loader refuses a FIFO, a device (/dev/zero), a folder and a link to
/// a FIFO where it expects a file, at once (a FIFO used to block the run forever, /dev/zero to fill the memory), with a
/// message naming the path; and every YAML or JSON loader refuses a file over 16 MiB naming its size and the bound.
/// </summary>
public sealed class NonRegularInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("promoter-inputs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Each loader: the file name it expects and how it is called on a path.</summary>
    private static readonly Dictionary<string, (string File, Action<string, string> Load)> Loaders = new()
    {
        ["promoter manifest"] = ("promoter-manifest.yaml", (path, _) => ManifestReader.Load(path)),
        ["e2e file"] = ("tests.yaml", (path, _) => E2ETestFile.Load(path)),
        ["snapshot"] = ("snapshot.yaml", (path, _) => Snapshot.Load(path)),
        ["docker config.json"] = ("config.json", (path, _) => DockerConfig.Load(path)),
        ["docker config.json if present"] = ("config.json", (path, _) => DockerConfig.LoadIfPresent(path)),
        ["golden set"] = ("golden.yaml", (path, _) => GoldenSet.Load(path, "/archives")),
        ["release definitions"] = ("release.yaml", (path, _) => ReleaseImageSet.Load(path)),
        ["docker save archive"] = ("image.tar", (path, _) => DockerArchive.Open(path)),
        ["OCI layout archive"] = ("layout.tar", (path, _) => OciLayoutArchive.Open(path)),
        ["pushable image"] = ("image.tar", (path, _) => PushableImage.FromDockerArchive(path)),
        ["GitHub event payload"] = ("event.json", (path, _) => RangeRequest.FromEnvironment(new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_EVENT_NAME"] = "push", ["GITHUB_EVENT_PATH"] = path,
        })),
        ["thin manifest"] = ("thin/manifests/foo/promoter-manifest.yaml", (_, folder) => ThinDirectory(folder, "images/foo/images.yaml")),
        ["thin images.yaml"] = ("thin/images/foo/images.yaml", (_, folder) => ThinDirectory(folder, "manifests/foo/promoter-manifest.yaml")),
        ["golden source file"] = ("src/data", (_, folder) => GoldenWithSource(folder)),
        ["golden committed archive"] = ("archives/bar.tar", (_, folder) => GoldenSet.Load(
            Write(folder, "golden.yaml", "images:\n  - name: bar\n    archive: bar.tar\n    repository: golden-bar/bar\n    tags: [\"1.0\"]\n    platform: linux/amd64\n"),
            Path.Combine(folder, "archives"))),
    };

    /// <summary>The YAML and JSON loaders, which read the whole file and so have the 16 MiB bound.</summary>
    private static readonly string[] TextLoaders =
    [
        "promoter manifest", "e2e file", "snapshot", "docker config.json", "golden set", "release definitions", "thin manifest",
        "thin images.yaml",
    ];

    public static TheoryData<string, string> LoaderKinds()
    {
        var data = new TheoryData<string, string>();
        foreach (var loader in Loaders.Keys)
            foreach (var kind in SpecialFiles.Kinds)
                data.Add(loader, kind);
        return data;
    }

    public static TheoryData<string> Texts() => new(TextLoaders);

    [Theory]
    [MemberData(nameof(LoaderKinds))]
    public void A_loader_refuses_at_once_a_file_that_is_not_a_regular_file(string loader, string kind)
    {
        var (file, load) = Loaders[loader];
        var path = SpecialFiles.Make(kind, Path.Combine(_folder, file));

        var error = SpecialFiles.Refusal(() => load(path, _folder), _folder);

        (error is InputFileException or InputFormatException or ImageArchiveException
            or FormatException).Should().BeTrue("a refusal is a documented library error, not a crash: {0}", error);
        // In a thin-manifest directory the link to /dev/zero is refused before the device is looked at: it leaves the directory.
        var expected = loader.StartsWith("thin", StringComparison.Ordinal) && kind == "device"
            ? $"{path}: a symbolic link to '/dev/zero' (/dev/zero), which leaves {Path.Combine(_folder, "thin")}; not followed"
            : $"{path}: not a regular file ({SpecialFiles.Described(kind)})";
        error.Message.Should().Contain(expected).And.NotContain("   at ");
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_text_loader_refuses_a_file_over_16_MiB_naming_its_size_and_the_bound(string loader)
    {
        var (file, load) = Loaders[loader];
        var path = SpecialFiles.Oversized(Path.Combine(_folder, file));

        var error = SpecialFiles.Refusal(() => load(path, _folder), _folder);

        error.Message.Should().Contain(path).And.Contain("17.0 MiB (17825792 bytes)").And.Contain("bound of 16.0 MiB (16777216 bytes)");
    }

    [Fact]
    public void The_refusals_of_one_loader_differ_only_in_what_the_file_is()
    {
        var fifo = SpecialFiles.Make("fifo", Path.Combine(_folder, "a.yaml"));
        var folder = SpecialFiles.Make("directory", Path.Combine(_folder, "b.yaml"));

        SpecialFiles.Refusal(() => ManifestReader.Load(fifo), _folder).Should().BeOfType<InputFileException>()
            .Which.Message.Should().Be($"{fifo}: not a regular file (a named pipe)");
        SpecialFiles.Refusal(() => ManifestReader.Load(folder), _folder).Should().BeOfType<InputFileException>()
            .Which.Message.Should().Be($"{folder}: not a regular file (a directory)");
        SpecialFiles.Refusal(() => ManifestReader.Load("/dev/zero"), _folder).Should().BeOfType<InputFileException>()
            .Which.Message.Should().Be("/dev/zero: not a regular file (a character device)");
    }

    [Fact]
    public void A_symbolic_link_to_a_regular_file_is_read_through()
    {
        var target = Write(_folder, "real/config.json", """{"auths":{"gcr.io":{"auth":"dTpw"}}}""");
        var link = Path.Combine(_folder, "config.json");
        File.CreateSymbolicLink(link, target);

        DockerConfig.Load(link).Find("gcr.io")!.Username.Should().Be("u");
    }

    [Fact]
    public void A_dangling_link_and_a_missing_file_are_told_apart()
    {
        var link = Path.Combine(_folder, "config.json");
        File.CreateSymbolicLink(link, "gone.json");

        var dangling = () => DockerConfig.LoadIfPresent(link);
        dangling.Should().Throw<InputFileException>().WithMessage($"{link}: does not exist (a symbolic link to 'gone.json', which does not exist)");
        DockerConfig.LoadIfPresent(Path.Combine(_folder, "nothing.json")).Should().BeSameAs(DockerConfig.Empty);
        var missing = () => E2ETestFile.Load(Path.Combine(_folder, "nothing.yaml"));
        missing.Should().Throw<InputFileException>().WithMessage($"{_folder}/nothing.yaml: does not exist");
    }

    private static string Write(string folder, string relative, string text)
    {
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Loads <c>folder/thin</c> after writing a valid <paramref name="other"/> file of project foo beside the one under test.</summary>
    private static void ThinDirectory(string folder, string other)
    {
        var text = other.EndsWith("images.yaml", StringComparison.Ordinal)
            ? $"- name: foo\n  dmap:\n    \"{Digests.Of('a')}\": [\"1.0\"]\n"
            : "registries:\n- name: 127.0.0.1:5000/stg\n  src: true\n- name: 127.0.0.1:5000/prod\n";
        Write(folder, Path.Combine("thin", other), text);
        ManifestReader.LoadThinDirectory(Path.Combine(folder, "thin"));
    }

    /// <summary>Loads a golden set whose one layer file has the source <c>src/data</c> and builds its image.</summary>
    private static void GoldenWithSource(string folder)
    {
        var yaml = Write(folder, "golden.yaml", """
            images:
              - name: bar
                archive: bar/1.0.tar
                repository: golden-bar/bar
                tags: ["1.0"]
                platform: linux/amd64
                build:
                  layers:
                    - files:
                        - path: golden/bar/1.0
                          source: src/data
            """);
        GoldenBuilder.ToGoldenImage(GoldenSet.Load(yaml, folder).Images[0]);
    }
}
