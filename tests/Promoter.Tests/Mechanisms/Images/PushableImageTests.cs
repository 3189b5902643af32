using System.Text;
using FluentAssertions;
using Promoter.Images;
using Promoter.Oci;
using Xunit;
using Promoter.Archives;

namespace Promoter.Tests.Images;

public class PushableImageTests
{
    [Fact]
    public void Manifest_digests_are_stable_across_two_loads()
    {
        foreach (var (relative, _, _) in ImageTestData.Upstream)
        {
            var first = PushableImage.FromDockerArchive(ImageTestData.Archive(relative));
            var second = PushableImage.FromDockerArchive(ImageTestData.Archive(relative));
            second.ManifestBytes.Should().Equal(first.ManifestBytes);
            second.ManifestDigest.Should().Be(first.ManifestDigest);
            first.ManifestDigest.Should().Be(Digest.Of(first.ManifestBytes));
        }
    }

    [Fact]
    public void Four_upstream_images_have_four_distinct_manifests()
    {
        ImageTestData.Upstream
            .Select(u => PushableImage.FromDockerArchive(ImageTestData.Archive(u.Archive)).ManifestDigest)
            .Distinct().Should().HaveCount(4);
    }

    [Fact]
    public void Manifest_is_schema2_with_the_archive_config_and_uncompressed_layers()
    {
        var archive = DockerArchive.Open(ImageTestData.Archive("foo/1.0-linux_amd64.tar"));
        var image = PushableImage.FromDockerArchive(archive);
        var parsed = ManifestDocument.Parse(image.ManifestBytes, null, "test");

        image.ManifestMediaType.Should().Be(MediaTypes.DockerManifest);
        parsed.MediaType.Should().Be(MediaTypes.DockerManifest);
        parsed.Config!.MediaType.Should().Be(MediaTypes.DockerConfig);
        parsed.Config.Digest.Should().Be(archive.Images[0].ConfigDigest.Value);
        parsed.Config.Size.Should().Be(archive.Images[0].ConfigBytes.Length);
        parsed.Layers.Select(l => l.MediaType).Should().AllBe(MediaTypes.DockerLayerTar);
        parsed.Layers.Select(l => l.Digest).Should().Equal(archive.Images[0].Layers.Select(l => l.DiffId.Value));
        parsed.Layers.Select(l => l.Size).Should().Equal(archive.Images[0].Layers.Select(l => l.Size));
        var text = Encoding.UTF8.GetString(image.ManifestBytes);
        text.Should().StartWith("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"config\":{\"mediaType\":");
        text.Should().NotContainAny(" ", "\n", "\\u");
    }

    [Fact]
    public void Manifest_matches_what_skopeo_generates_for_the_archive_apart_from_the_layer_media_type()
    {
        // skopeo's docker-archive source writes the same schema 2 manifest (same field order, uncompressed layer
        // digests) but labels the uncompressed layers .tar.gzip; everything else must agree byte for byte.
        foreach (var (relative, _, _) in ImageTestData.Upstream)
        {
            var path = ImageTestData.Archive(relative);
            var skopeo = ImageTestData.Run("skopeo", "inspect", "--raw", "docker-archive:" + path).Trim()
                .Replace(MediaTypes.DockerLayerGzip, MediaTypes.DockerLayerTar);
            Encoding.UTF8.GetString(PushableImage.FromDockerArchive(path).ManifestBytes).Should().Be(skopeo);
        }
    }

    [Fact]
    public void Blobs_open_to_content_with_their_digest_and_size()
    {
        var image = PushableImage.FromDockerArchive(ImageTestData.Archive("foo/NOTAG-0.tar"));
        image.Blobs.Should().HaveCount(3);
        foreach (var blob in image.Blobs)
        {
            using var stream = blob.OpenRead();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            buffer.Length.Should().Be(blob.Descriptor.Size);
            Digest.Of(buffer.ToArray()).Should().Be(blob.Digest);
        }
    }

    [Fact]
    public void Manifest_list_records_the_platform_override_and_is_deterministic()
    {
        var amd64 = PushableImage.FromDockerArchive(ImageTestData.Archive("foo/1.0-linux_amd64.tar"));
        var s390x = PushableImage.FromDockerArchive(ImageTestData.Archive("foo/1.0-linux_s390x.tar"));
        s390x.Platform.Should().Be(new Platform("amd64", "linux"), "upstream's s390x config says amd64");

        PushableIndex Build() => PushableIndex.Create(
        [
            new PushableIndexEntry(PushableImage.FromDockerArchive(ImageTestData.Archive("foo/1.0-linux_amd64.tar"))),
            new PushableIndexEntry(PushableImage.FromDockerArchive(ImageTestData.Archive("foo/1.0-linux_s390x.tar")), new Platform("s390x", "linux")),
        ]);
        var first = Build();
        var second = Build();
        second.ManifestBytes.Should().Equal(first.ManifestBytes);
        first.ManifestMediaType.Should().Be(MediaTypes.DockerManifestList);

        var parsed = ManifestDocument.Parse(first.ManifestBytes, null, "list");
        parsed.MediaType.Should().Be(MediaTypes.DockerManifestList);
        parsed.Manifests.Select(m => m.Digest).Should().Equal(amd64.ManifestDigest.Value, s390x.ManifestDigest.Value);
        parsed.Manifests.Select(m => m.Size).Should().Equal(amd64.ManifestBytes.Length, s390x.ManifestBytes.Length);
        parsed.Manifests.Select(m => m.Platform).Should().Equal(new Platform("amd64", "linux"), new Platform("s390x", "linux"));
        parsed.Manifests.Select(m => m.MediaType).Should().AllBe(MediaTypes.DockerManifest);

        var reversed = PushableIndex.Create([first.Entries[1], first.Entries[0]]);
        reversed.ManifestDigest.Should().NotBe(first.ManifestDigest, "entry order is part of the list");
    }

    [Fact]
    public void Manifest_list_with_two_entries_for_one_platform_is_refused()
    {
        var amd64 = PushableImage.FromDockerArchive(ImageTestData.Archive("foo/1.0-linux_amd64.tar"));
        var s390x = PushableImage.FromDockerArchive(ImageTestData.Archive("foo/1.0-linux_s390x.tar"));
        var act = () => PushableIndex.Create([new PushableIndexEntry(amd64), new PushableIndexEntry(s390x)]);
        act.Should().Throw<ArgumentException>().WithMessage("Platform linux/amd64 appears 2 times*");
    }
}
