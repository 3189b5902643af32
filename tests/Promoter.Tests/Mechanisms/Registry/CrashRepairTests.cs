using System.Collections.Concurrent;
using System.Text;
using FluentAssertions;
using Promoter.Oci;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;

namespace Promoter.Tests.Registry;

/// <summary>
/// What a crash of CNCF Distribution leaves in its filesystem storage (a 0-byte blob data file, an empty link file),
/// made by truncating the files of a real registry, and what <see cref="BlobTransfer"/>, <see cref="ManifestWriter"/>
/// and <see cref="StorageRepair.Run"/> do about it: detect, write again, check deeply, report, or fail
/// naming what is broken when the registry keeps the damage.
/// </summary>
public sealed class CrashRepairTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private string V2 => Path.Combine(registry.Registry.StorageRoot, "docker", "registry", "v2");

    private string BlobData(Digest digest) => Path.Combine(V2, "blobs", "sha256", digest.Hex[..2], digest.Hex, "data");

    private string LayerLink(string repository, Digest digest) => Path.Combine(V2, "repositories", repository, "_layers", "sha256", digest.Hex, "link");

    private string RevisionLink(string repository, Digest digest) =>
        Path.Combine(V2, "repositories", repository, "_manifests", "revisions", "sha256", digest.Hex, "link");

    private string TagLink(string repository, string tag) => Path.Combine(V2, "repositories", repository, "_manifests", "tags", tag, "current", "link");

    private (RegistryClient Client, ConcurrentQueue<string> Reports) Client()
    {
        var reports = new ConcurrentQueue<string>();
        return (registry.CreateClient(new RegistryClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1), Report = reports.Enqueue }), reports);
    }

    private static async Task<byte[]> ReadAsync(RegistryClient client, string repository, Digest digest)
    {
        await using var stream = await client.GetBlobAsync(repository, digest);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    [Fact]
    public async Task An_empty_layer_link_answers_500_and_an_upload_rewrites_it_checked_and_reported()
    {
        var (client, reports) = Client();
        using var _ = client;
        var repository = registry.NewRepository("layer-link");
        var image = await TestImages.PushAsync(client, repository, "1.0", "layer whose link a crash emptied");
        var (layer, bytes) = image.Blobs[1];
        await File.WriteAllBytesAsync(LayerLink(repository, layer), []);

        (await ServedContent.HeadBlobAsync(client, repository, layer, bytes.Length)).State.Should().Be(ServedState.Broken);

        var outcome = await new BlobTransfer().UploadAsync(client, repository, layer, bytes);

        outcome.Should().Be(BlobCopyOutcome.Uploaded);
        (await ReadAsync(client, repository, layer)).Should().Equal(bytes);
        reports.Should().ContainSingle().Which.Should()
            .Contain($"repaired blob {registry.Host}/{repository}@{layer}").And.Contain("HEAD answers 500");
    }

    [Fact]
    public async Task A_blob_served_correctly_costs_one_head_and_no_get()
    {
        using var proxy = new FaultProxy(registry.Host);
        using var direct = registry.CreateClient();
        var repository = registry.NewRepository("cheap");
        var image = await TestImages.PushAsync(direct, repository, "1.0", "a healthy layer");
        using var client = new RegistryClient(proxy.Host);

        foreach (var (digest, bytes) in image.Blobs)
            (await new BlobTransfer().UploadAsync(client, repository, digest, bytes)).Should().Be(BlobCopyOutcome.AlreadyPresent);

        proxy.Requests.Select(r => r.Method).Should().Equal("HEAD", "HEAD");
    }

    [Fact]
    public async Task A_zero_byte_blob_data_file_is_kept_by_the_registry_so_the_client_fails_naming_it_until_the_storage_is_repaired()
    {
        var (client, reports) = Client();
        using var _ = client;
        var repository = registry.NewRepository("zero-blob");
        var image = await TestImages.PushAsync(client, repository, "1.0", "layer a crash truncated to 0 bytes");
        var (layer, bytes) = image.Blobs[1];
        await File.WriteAllBytesAsync(BlobData(layer), []);

        // Distribution answers HEAD 200 with 0 bytes, and accepts the upload (201) without rewriting the data file.
        (await client.HeadBlobAsync(repository, layer)).Should().Be(0);
        var act = () => new BlobTransfer().UploadAsync(client, repository, layer, bytes);
        var failure = (await act.Should().ThrowAsync<RegistryException>()).Which;
        failure.Reference.Should().Be($"{registry.Host}/{repository}@{layer}");
        failure.Message.Should().Contain("HEAD answers 200 with 0 byte(s), the descriptor says " + bytes.Length)
            .And.Contain("did not repair it").And.Contain("blobs/sha256/XX/HEX/data");
        new FileInfo(BlobData(layer)).Length.Should().Be(0, "the registry kept the damaged file");
        reports.Should().BeEmpty();

        // A registry this run started can have its storage repaired: the 0-byte file is removed before the restart.
        await registry.Registry.CrashAndRestartAsync(repairStorage: true);
        registry.Registry.StorageRepairs.Should().Contain(line => line.Contains(layer.Hex) && line.Contains("0-byte blob data file removed"));
        (await new BlobTransfer().UploadAsync(client, repository, layer, bytes)).Should().Be(BlobCopyOutcome.Uploaded);
        (await ReadAsync(client, repository, layer)).Should().Equal(bytes);
    }

    [Fact]
    public async Task A_copy_repairs_a_broken_blob_from_the_source_and_checks_it_deeply()
    {
        var (client, reports) = Client();
        using var _ = client;
        var source = registry.NewRepository("copy-src");
        var target = registry.NewRepository("copy-dst");
        var image = await TestImages.PushAsync(client, source, "1.0", "layer copied, then its link damaged");
        var (layer, bytes) = image.Blobs[1];
        (await new BlobTransfer().CopyAsync(client, source, client, target, layer, bytes.Length)).Should().Be(BlobCopyOutcome.Mounted);
        await File.WriteAllTextAsync(LayerLink(target, layer), "garbage");

        var outcome = await new BlobTransfer().CopyAsync(client, source, client, target, layer, bytes.Length);

        outcome.Should().Be(BlobCopyOutcome.Mounted);
        (await ReadAsync(client, target, layer)).Should().Equal(bytes);
        reports.Should().ContainSingle().Which.Should().Contain($"repaired blob {registry.Host}/{target}@{layer}").And.Contain("mounting it from " + source);
    }

    [Fact]
    public async Task An_empty_revision_link_is_put_again_read_back_and_reported()
    {
        var (client, reports) = Client();
        using var _ = client;
        var repository = registry.NewRepository("revision");
        var image = await TestImages.PushAsync(client, repository, "1.0", "image whose revision link a crash emptied");
        await File.WriteAllBytesAsync(RevisionLink(repository, image.Digest), []);
        (await ServedContent.HeadManifestAsync(client, repository, "1.0", default)).Check.State.Should().Be(ServedState.Broken);

        var outcome = await ManifestWriter.PutAsync(client, repository, "1.0", new ManifestContent(image.Manifest, image.MediaType, image.Digest),
            ManifestPutGuard.Overwrite);

        outcome.Should().Be(ManifestPutOutcome.Written);
        (await client.GetManifestAsync(repository, image.Digest.Value)).Bytes.Should().Equal(image.Manifest);
        reports.Should().ContainSingle().Which.Should().Contain($"repaired manifest {registry.Host}/{repository}:1.0").And.Contain("HEAD answers 500");
    }

    [Fact]
    public async Task An_empty_tag_link_is_rewritten_when_the_plan_saw_it_absent_and_refused_when_it_expected_a_digest()
    {
        var (client, reports) = Client();
        using var _ = client;
        var repository = registry.NewRepository("tag");
        var image = await TestImages.PushAsync(client, repository, "1.0", "image whose tag link a crash emptied");
        var content = new ManifestContent(image.Manifest, image.MediaType, image.Digest);
        await File.WriteAllBytesAsync(TagLink(repository, "1.0"), []);
        var other = Digest.Of(Encoding.UTF8.GetBytes("another manifest"));

        var refuse = () => ManifestWriter.PutAsync(client, repository, "1.0", content, ManifestPutGuard.Expect(other));
        (await refuse.Should().ThrowAsync<RegistryException>()).Which.Message.Should()
            .Contain($"{registry.Host}/{repository}:1.0 is not served correctly").And.Contain("planned to point at " + other);

        (await ManifestWriter.PutAsync(client, repository, "1.0", content, ManifestPutGuard.Expect(null))).Should().Be(ManifestPutOutcome.Written);
        (await client.HeadManifestAsync(repository, "1.0"))!.Digest.Should().Be(image.Digest);
        reports.Should().ContainSingle().Which.Should().Contain("repaired manifest");
    }

    [Fact]
    public async Task A_zero_byte_manifest_is_kept_by_the_registry_so_the_put_fails_naming_it_until_the_storage_is_repaired()
    {
        var (client, _) = Client();
        using var __ = client;
        var repository = registry.NewRepository("zero-manifest");
        var image = await TestImages.PushAsync(client, repository, "1.0", "image whose manifest a crash truncated");
        var content = new ManifestContent(image.Manifest, image.MediaType, image.Digest);
        await File.WriteAllBytesAsync(BlobData(image.Digest), []);

        var act = () => ManifestWriter.PutAsync(client, repository, "1.0", content, ManifestPutGuard.Overwrite);
        var failure = (await act.Should().ThrowAsync<RegistryException>()).Which;
        failure.Message.Should().Contain(image.Digest.Value).And.Contain("does not serve it");

        await registry.Registry.CrashAndRestartAsync(repairStorage: true);
        registry.Registry.StorageRepairs.Should().Contain(line => line.Contains(image.Digest.Hex));
        (await ManifestWriter.PutAsync(client, repository, "1.0", content, ManifestPutGuard.Overwrite)).Should().Be(ManifestPutOutcome.Written);
        (await client.GetManifestAsync(repository, "1.0")).Digest.Should().Be(image.Digest);
    }

    [Fact]
    public async Task Storage_repair_rewrites_damaged_links_from_their_folder_and_removes_a_tag_whose_link_is_unreadable()
    {
        using var client = registry.CreateClient();
        var repository = registry.NewRepository("storage");
        var image = await TestImages.PushAsync(client, repository, "1.0", "image repaired in the storage");
        var layer = image.Blobs[1].Digest;
        await File.WriteAllBytesAsync(LayerLink(repository, layer), []);
        await File.WriteAllTextAsync(RevisionLink(repository, image.Digest), "sha256:");
        await File.WriteAllBytesAsync(TagLink(repository, "1.0"), []);

        await registry.Registry.CrashAndRestartAsync(repairStorage: true);

        registry.Registry.StorageRepairs.Should().HaveCount(3);
        (await File.ReadAllTextAsync(LayerLink(repository, layer))).Should().Be(layer.Value);
        (await File.ReadAllTextAsync(RevisionLink(repository, image.Digest))).Should().Be(image.Digest.Value);
        (await client.HeadBlobAsync(repository, layer)).Should().Be(image.Blobs[1].Bytes.Length);
        (await client.HeadManifestAsync(repository, image.Digest.Value))!.Digest.Should().Be(image.Digest);
        (await client.HeadManifestAsync(repository, "1.0")).Should().BeNull("the tag with the unreadable link was removed, to be written again");
    }
}
