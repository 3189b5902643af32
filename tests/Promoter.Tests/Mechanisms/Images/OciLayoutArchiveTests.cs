using System.Text;
using FluentAssertions;
using Promoter.Oci;
using Xunit;
using Promoter.Archives;

namespace Promoter.Tests.Images;

public class OciLayoutArchiveTests
{
    /// <summary>Converts an upstream archive to an OCI layout tarball with skopeo (the reference implementation).</summary>
    private static string SkopeoLayout(TempFolder temp, string relative)
    {
        var target = temp.File("layout.tar");
        ImageTestData.Run("skopeo", "copy", "-q", "docker-archive:" + ImageTestData.Archive(relative), $"oci-archive:{target}:golden:1");
        return target;
    }

    [Fact]
    public void Reads_and_verifies_a_layout_written_by_skopeo()
    {
        using var temp = new TempFolder();
        var path = SkopeoLayout(temp, "foo/1.0-linux_s390x.tar");
        var docker = DockerArchive.Open(ImageTestData.Archive("foo/1.0-linux_s390x.tar")).Images[0];

        var layout = OciLayoutArchive.Open(path);

        layout.Manifests.Should().ContainSingle();
        var manifest = layout.Manifests[0];
        manifest.RefName.Should().Be("golden:1");
        manifest.Document.IsIndex.Should().BeFalse();
        manifest.Document.Layers.Should().HaveCount(2);
        layout.HasBlob(manifest.Descriptor.ParsedDigest).Should().BeTrue();
        // skopeo re-serialises the config (new digest) but keeps platform and diff_ids.
        var config = layout.ReadBlob(manifest.Document.Config!.ParsedDigest);
        var (platform, diffIds) = DockerArchive.ReadConfig(path, "config", config);
        platform.Should().Be(docker.Platform);
        diffIds.Should().Equal(docker.Layers.Select(l => l.DiffId));
        layout.BlobDigests.Should().HaveCount(4);
    }

    [Fact]
    public void Flipped_byte_in_a_blob_is_reported()
    {
        using var temp = new TempFolder();
        var path = SkopeoLayout(temp, "bar/1.0.tar");
        var config = OciLayoutArchive.Open(path).Manifests[0].Document.Config!.ParsedDigest;
        var blobName = "blobs/sha256/" + config.Hex;
        var bytes = File.ReadAllBytes(path);
        bytes[ImageTestData.DataOffset(path, blobName) + 2] ^= 0x20;
        var copy = temp.File("flipped.tar");
        File.WriteAllBytes(copy, bytes);

        var act = () => OciLayoutArchive.Open(copy);
        act.Should().Throw<ImageArchiveException>().WithMessage($"{copy}: blob '{blobName}' has sha256 *; expected {config.Hex} (its name).");
    }

    [Fact]
    public void Unknown_manifest_media_type_is_reported()
    {
        using var temp = new TempFolder();
        var path = SkopeoLayout(temp, "bar/1.0.tar");
        var copy = temp.File("unknown.tar");
        ImageTestData.RewriteTar(path, copy, (name, data) => name == "index.json"
            ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(data).Replace(MediaTypes.OciManifest, "application/vnd.example.unknown+json"))
            : data);

        var act = () => OciLayoutArchive.Open(copy);
        act.Should().Throw<ImageArchiveException>()
            .WithMessage($"{copy}: index.json manifests[0]: unknown manifest media type 'application/vnd.example.unknown+json'; expected one of *");
    }

    [Fact]
    public void Missing_referenced_layer_is_reported()
    {
        using var temp = new TempFolder();
        var path = SkopeoLayout(temp, "bar/1.0.tar");
        var layout = OciLayoutArchive.Open(path);
        var layer = layout.Manifests[0].Document.Layers[0].ParsedDigest;
        var copy = temp.File("nolayer.tar");
        ImageTestData.RewriteTar(path, copy, (name, data) => name == "blobs/sha256/" + layer.Hex ? null : data);

        var act = () => OciLayoutArchive.Open(copy);
        act.Should().Throw<ImageArchiveException>()
            .WithMessage($"{copy}: index.json manifests[0] -> layers[0]: blob {layer} is missing from blobs/sha256/.");
    }

    [Fact]
    public void Missing_oci_layout_file_is_reported()
    {
        using var temp = new TempFolder();
        var path = SkopeoLayout(temp, "bar/1.0.tar");
        var copy = temp.File("nolayout.tar");
        ImageTestData.RewriteTar(path, copy, (name, data) => name == "oci-layout" ? null : data);

        var act = () => OciLayoutArchive.Open(copy);
        act.Should().Throw<ImageArchiveException>().WithMessage($"{copy}: oci-layout is missing*");
    }
}
