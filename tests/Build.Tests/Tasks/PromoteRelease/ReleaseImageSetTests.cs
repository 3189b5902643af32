using FluentAssertions;
using Promoter.Archives;
using Promoter.Images;
using Promoter.Oci;
using Promoter.Registry;
using Promoter.Releases;
using Promoter.Yaml;
using Xunit;

namespace Build.Tests.Tasks.PromoteRelease;

/// <summary>The release image definitions (strict YAML) and the daemonless build of release images.</summary>
public sealed class ReleaseImageSetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("release-images-").FullName;

    public ReleaseImageSetTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "rootfs/etc"));
        File.WriteAllText(Path.Combine(_folder, "rootfs/etc/a.txt"), "a\n");
        File.WriteAllText(Path.Combine(_folder, "rootfs/run.sh"), "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(_folder, "rootfs/run.sh"), (UnixFileMode)0x1ED);
        File.WriteAllText(Path.Combine(_folder, "Dockerfile"), "FROM scratch\nCOPY rootfs/ /\n");
    }

    [Fact]
    public void The_project_definition_loads_for_both_engines()
    {
        var set = ReleaseImageSet.Load(Path.Combine(PromoteReleaseTests.RepositoryRoot, "images/release/release.yaml"));
        set.Images.Should().ContainSingle().Which.Repository.Should().Be("promoter");
        set.Images[0].Platform.Should().Be(new Platform("amd64", "linux"));
        set.Invoking(s => s.RequireEngine("oci")).Should().NotThrow();
        set.Invoking(s => s.RequireEngine("docker")).Should().NotThrow();
    }

    [Theory]
    [InlineData("images:\n  - repository: app\n    platform: linux/amd64\n    oci:\n      layers:\n        - source: rootfs\n          mode: 1\n",
        "def.yaml:7: images[0].oci.layers[0].mode: unknown key")]
    [InlineData("images:\n  - repository: app\n    platform: linux/amd64\n    oci:\n      layers:\n        - source: missing\n",
        "def.yaml:6: images[0].oci.layers[0].source: 'missing'")]
    [InlineData("images:\n  - repository: App\n    platform: linux\n    docker:\n      dockerfile: Dockerfile\n",
        "def.yaml:2: images[0].repository: 'App' is not a repository")]
    [InlineData("images:\n  - repository: app\n    platform: linux/amd64\n",
        "def.yaml:2: images[0]: needs an 'oci:' or a 'docker:' section")]
    [InlineData("images:\n  - repository: app\n    platform: linux/amd64\n    docker: {dockerfile: Dockerfile}\n  - repository: app\n    platform: linux/arm64\n    docker: {dockerfile: Dockerfile}\n",
        "images[1].repository: repository 'app' is also defined at line 2")]
    public void A_bad_definition_names_file_line_and_field(string yaml, string expected)
    {
        var path = Path.Combine(_folder, "def.yaml");
        File.WriteAllText(path, yaml);
        var act = () => ReleaseImageSet.Load(path);
        act.Should().Throw<InputFormatException>().Which.Message.Should().Contain(expected.Replace("def.yaml", path));
    }

    [Fact]
    public void An_engine_without_its_section_is_refused()
    {
        var path = Write("images:\n  - repository: app\n    platform: linux/amd64\n    docker:\n      dockerfile: Dockerfile\n");
        var act = () => ReleaseImageSet.Load(path).RequireEngine("oci");
        act.Should().Throw<InputFormatException>().WithMessage("*images[app].oci: the oci engine is selected but this image has no 'oci:' section*");
    }

    [Fact]
    public async Task The_oci_build_is_reproducible_and_normalizes_modes()
    {
        var image = ReleaseImageSet.Load(Write("images:\n  - repository: team/app\n    platform: linux/arm64/v8\n    oci:\n      entrypoint: [/run.sh]\n      layers:\n        - source: rootfs\n          target: opt/app\n")).Images[0];
        var engine = new OciImageEngine(new RegistryPool(_ => new RegistryClientOptions()));
        var first = await engine.BuildAsync(ReleaseBuilds.Spec(image, "v1.0.0"), Path.Combine(_folder, "out1"));
        File.SetLastWriteTimeUtc(Path.Combine(_folder, "rootfs/etc/a.txt"), new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var second = await engine.BuildAsync(ReleaseBuilds.Spec(image, "v1.0.0"), Path.Combine(_folder, "out2"));

        Path.GetFileName(first.Location).Should().Be("team_app-v1.0.0.tar");
        File.ReadAllBytes(second.Location).Should().Equal(File.ReadAllBytes(first.Location), "mtimes must not reach the archive");
        second.ManifestDigest.Should().Be(first.ManifestDigest);

        var archive = DockerArchive.Open(first.Location);
        archive.Images[0].Platform.Should().Be(new Platform("arm64", "linux", "v8"));
        System.Text.Encoding.UTF8.GetString(archive.Images[0].ConfigBytes).Should().Contain("\"Entrypoint\":[\"/run.sh\"]");
        var layer = ReadTar(archive, archive.Images[0].Layers.Single());
        layer.Should().Equal(
            ("./", 0x1ED), ("./opt/", 0x1ED), ("./opt/app/", 0x1ED), ("./opt/app/etc/", 0x1ED),
            ("./opt/app/etc/a.txt", 0x1A4), ("./opt/app/run.sh", 0x1ED));
    }

    [Fact]
    public async Task A_base_archive_contributes_its_layers_unchanged()
    {
        var baseArchive = Path.Combine(PromoteReleaseTests.RepositoryRoot, "images/golden/archives/bar/1.0.tar");
        var relative = Path.GetRelativePath(_folder, baseArchive);
        var image = ReleaseImageSet.Load(Write($"images:\n  - repository: app\n    platform: linux/amd64\n    oci:\n      base: {relative}\n      layers:\n        - source: rootfs\n")).Images[0];
        var built = await new OciImageEngine(new RegistryPool(_ => new RegistryClientOptions())).BuildAsync(ReleaseBuilds.Spec(image, "v1.0.0"), Path.Combine(_folder, "out"));

        var baseLayers = DockerArchive.Open(baseArchive).Images[0].Layers.Select(l => l.DiffId).ToList();
        var layers = DockerArchive.Open(built.Location).Images[0].Layers.Select(l => l.DiffId).ToList();
        layers.Should().HaveCount(baseLayers.Count + 1);
        layers.Take(baseLayers.Count).Should().Equal(baseLayers);
    }

    [Fact]
    public async Task A_base_of_another_platform_is_refused()
    {
        var baseArchive = Path.Combine(PromoteReleaseTests.RepositoryRoot, "images/golden/archives/foo/1.0-linux_s390x.tar");
        var image = ReleaseImageSet.Load(Write($"images:\n  - repository: app\n    platform: linux/amd64\n    oci:\n      base: {Path.GetRelativePath(_folder, baseArchive)}\n      layers:\n        - source: rootfs\n")).Images[0];
        var act = () => new OciImageEngine(new RegistryPool(_ => new RegistryClientOptions())).BuildAsync(ReleaseBuilds.Spec(image, "v1.0.0"), Path.Combine(_folder, "out"));
        (await act.Should().ThrowAsync<ImageEngineException>()).Which.Message.Should().Contain("is linux/s390x, but the image is built for linux/amd64");
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_folder, "def.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Names and permission bits of a layer tar's entries, read with the BCL's tar reader.</summary>
    private static List<(string, int)> ReadTar(DockerArchive archive, DockerArchiveLayer layer)
    {
        using var stream = archive.OpenLayer(layer);
        using var reader = new System.Formats.Tar.TarReader(stream);
        var entries = new List<(string, int)>();
        while (reader.GetNextEntry() is { } entry)
        {
            entry.ModificationTime.Should().Be(DateTimeOffset.UnixEpoch);
            entry.Uid.Should().Be(0);
            entries.Add((entry.Name, (int)entry.Mode));
        }
        return entries;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
