using FluentAssertions;
using Promoter.Images;
using Promoter.Oci;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;
using Promoter.Archives;

namespace Promoter.Tests.Images;

/// <summary>An OCI image layout is a source the oci engine pushes from: stored manifest bytes, stored blobs, digest unchanged.</summary>
public sealed class OciLayoutPushTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task A_layout_written_by_skopeo_is_pushed_with_its_own_manifest_digest_and_skopeo_reads_it_back()
    {
        using var temp = new TempFolder();
        var layout = temp.File("layout.tar");
        await ExternalTool.RunAsync("skopeo", "copy", "-q", "docker-archive:" + ImageTestData.Archive("foo/1.0-linux_s390x.tar"), $"oci-archive:{layout}:golden:1");
        var stored = OciLayoutArchive.Open(layout).Manifests.Single().Descriptor;
        using var pool = new RegistryPool(_ => new RegistryClientOptions());
        var engine = new OciImageEngine(pool);
        var repository = registry.NewRepository("layout");

        var image = await engine.LoadAsync(layout, "layout");
        var pushed = await engine.PushAsync(image, new PushTarget(registry.Host, repository, ["1.0"]));

        image.ManifestDigest!.Value.Value.Should().Be(stored.Digest, "the layout's manifest is pushed as stored");
        pushed.Should().ContainSingle().Which.Digest.Value.Should().Be(stored.Digest);
        pushed[0].MediaType.Should().Be(MediaTypes.OciManifest);
        var raw = await ExternalTool.RunAsync("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{registry.Host}/{repository}:1.0");
        Digest.Of(raw).Value.Should().Be(stored.Digest);
        image.Platform.Should().Be(DockerArchive.Open(ImageTestData.Archive("foo/1.0-linux_s390x.tar")).Images[0].Platform);
    }

    [Fact]
    public async Task A_layout_naming_two_manifests_is_refused_with_what_to_do()
    {
        using var temp = new TempFolder();
        var folder = Directory.CreateDirectory(Path.Combine(temp.Path, "layout")).FullName;
        // skopeo adds each copy to the index.json of an oci: directory; two images make an archive the engine cannot push as one.
        await ExternalTool.RunAsync("skopeo", "copy", "-q", "docker-archive:" + ImageTestData.Archive("bar/1.0.tar"), $"oci:{folder}:bar");
        await ExternalTool.RunAsync("skopeo", "copy", "-q", "docker-archive:" + ImageTestData.Archive("foo/NOTAG-0.tar"), $"oci:{folder}:notag");
        var archive = temp.File("two.tar");
        await ExternalTool.RunAsync("tar", "-C", folder, "-cf", archive, "oci-layout", "index.json", "blobs");

        var act = () => PushableImage.FromArchive(archive);

        act.Should().Throw<ImageArchiveException>().WithMessage($"{archive}: index.json names 2 manifests; expected exactly one image manifest*");
    }
}
