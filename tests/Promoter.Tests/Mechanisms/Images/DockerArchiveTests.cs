using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using FluentAssertions;
using Promoter.Oci;
using Xunit;
using Promoter.Archives;

namespace Promoter.Tests.Images;

public class DockerArchiveTests
{
    public static TheoryData<string, string, string> UpstreamArchives()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (archive, image, tag) in ImageTestData.Upstream) data.Add(archive, image, tag);
        return data;
    }

    [Theory]
    [MemberData(nameof(UpstreamArchives))]
    public void Reads_and_verifies_each_upstream_archive(string relative, string image, string tag)
    {
        var path = ImageTestData.Archive(relative);
        var archive = DockerArchive.Open(path);

        archive.Images.Should().ContainSingle();
        var img = archive.Images[0];
        img.RepoTags.Should().Equal($"gcr.io/k8s-staging-cip-test/golden-{image}/{image}:{tag}");
        img.Platform.Should().Be(new Platform("amd64", "linux"));
        img.ConfigPath.Should().Be(img.ConfigDigest.Hex + ".json");
        img.Layers.Should().HaveCount(2);

        // Layer 2 is the empty tar: 10240 zero bytes.
        img.Layers[1].DiffId.Should().Be(Digest.Of(new byte[10240]));
        img.Layers[1].Size.Should().Be(10240);

        // Layer 1 holds exactly one file, the data file src/<image>/<tag>.
        var expected = File.ReadAllBytes(ImageTestData.Source(image, tag));
        using var layer = archive.OpenLayer(img.Layers[0]);
        Digest.Of(ReadAll(layer)).Should().Be(img.Layers[0].DiffId);
        layer.Position = 0;
        using var reader = new TarReader(layer);
        var files = new List<(string Name, byte[] Data)>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                files.Add((entry.Name, ReadAll(entry.DataStream!)));
        files.Should().ContainSingle();
        files[0].Name.Should().StartWith($"./golden/{image}/").And.EndWith("/" + tag);
        files[0].Data.Should().Equal(expected);
        Encoding.UTF8.GetString(files[0].Data).Should().Be($"{image} {tag}\n");
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var act = () => DockerArchive.Open("/nonexistent/archive.tar");
        act.Should().Throw<ImageArchiveException>().WithMessage("/nonexistent/archive.tar: *does not exist*");
    }

    [Theory]
    [InlineData(15616)] // in the middle of an entry's data
    [InlineData(30208)] // after the last entry, before the end-of-archive blocks
    [InlineData(700)]   // inside the second header
    public void Truncated_archive_is_reported(int keep)
    {
        using var temp = new TempFolder();
        var copy = temp.File("truncated.tar");
        var bytes = File.ReadAllBytes(ImageTestData.Archive("bar/1.0.tar"));
        File.WriteAllBytes(copy, bytes[..keep]);

        var act = () => DockerArchive.Open(copy);
        act.Should().Throw<ImageArchiveException>()
            .Where(e => e.ArchivePath == copy)
            .WithMessage($"{copy}: *truncated*");
    }

    [Fact]
    public void Flipped_byte_in_a_layer_is_a_diff_id_mismatch()
    {
        using var temp = new TempFolder();
        var source = ImageTestData.Archive("foo/1.0-linux_s390x.tar");
        var image = DockerArchive.Open(source).Images[0];
        var layerPath = image.Layers[0].Path;
        var copy = temp.File("flipped.tar");
        var bytes = File.ReadAllBytes(source);
        var offset = ImageTestData.DataOffset(source, layerPath);
        bytes[offset + 0xa00] ^= 0x01; // the first byte of the data file inside layer.tar
        File.WriteAllBytes(copy, bytes);

        var act = () => DockerArchive.Open(copy);
        act.Should().Throw<ImageArchiveException>()
            .WithMessage($"{copy}: layer '{layerPath}' has sha256 *; expected {image.Layers[0].DiffId.Value} (rootfs.diff_ids[0] of '{image.ConfigPath}').");
    }

    [Fact]
    public void Removed_config_is_reported()
    {
        using var temp = new TempFolder();
        var source = ImageTestData.Archive("bar/1.0.tar");
        var configPath = DockerArchive.Open(source).Images[0].ConfigPath;
        var copy = temp.File("noconfig.tar");
        ImageTestData.RewriteTar(source, copy, (name, data) => name == configPath ? null : data);

        var act = () => DockerArchive.Open(copy);
        act.Should().Throw<ImageArchiveException>()
            .WithMessage($"{copy}: manifest.json[0].Config: the image config '{configPath}' is missing from the archive.");
    }

    [Fact]
    public void Removed_manifest_json_is_reported()
    {
        using var temp = new TempFolder();
        var copy = temp.File("nomanifest.tar");
        ImageTestData.RewriteTar(ImageTestData.Archive("bar/1.0.tar"), copy, (name, data) => name == "manifest.json" ? null : data);

        var act = () => DockerArchive.Open(copy);
        act.Should().Throw<ImageArchiveException>().WithMessage($"{copy}: manifest.json is missing*");
    }

    [Fact]
    public void Config_that_does_not_match_its_name_is_reported()
    {
        using var temp = new TempFolder();
        var source = ImageTestData.Archive("bar/1.0.tar");
        var configPath = DockerArchive.Open(source).Images[0].ConfigPath;
        var copy = temp.File("config.tar");
        ImageTestData.RewriteTar(source, copy, (name, data) =>
            name == configPath ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(data).Replace("Bazel", "bazel")) : data);

        var act = () => DockerArchive.Open(copy);
        act.Should().Throw<ImageArchiveException>()
            .WithMessage($"{copy}: image config '{configPath}' has sha256 *; expected {configPath[..64]} (its name).");
    }

    [Fact]
    public void Diff_id_count_mismatch_is_reported()
    {
        using var temp = new TempFolder();
        var source = ImageTestData.Archive("bar/1.0.tar");
        var copy = temp.File("layers.tar");
        ImageTestData.RewriteTar(source, copy, (name, data) =>
        {
            if (name != "manifest.json") return data;
            var text = Encoding.UTF8.GetString(data);
            var cut = text.IndexOf("\",\"", text.IndexOf("\"Layers\"", StringComparison.Ordinal), StringComparison.Ordinal);
            return Encoding.UTF8.GetBytes(text[..(cut + 1)] + "]}]");
        });

        var act = () => DockerArchive.Open(copy);
        act.Should().Throw<ImageArchiveException>().WithMessage($"{copy}: *lists 2 rootfs.diff_ids but manifest.json[0].Layers lists 1 layers*");
    }

    [Fact]
    public void Not_a_tar_is_reported()
    {
        using var temp = new TempFolder();
        var copy = temp.File("garbage.tar");
        File.WriteAllBytes(copy, RandomNumberGenerator.GetBytes(2048));

        var act = () => DockerArchive.Open(copy);
        act.Should().Throw<ImageArchiveException>().WithMessage($"{copy}: *");
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
