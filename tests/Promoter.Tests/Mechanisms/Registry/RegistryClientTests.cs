using System.Net;
using System.Text;
using FluentAssertions;
using Promoter.Oci;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;

namespace Promoter.Tests.Registry;

public sealed class RegistryClientTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task Pushed_manifest_and_blobs_read_back_byte_for_byte_and_skopeo_agrees()
    {
        using var client = fixture.CreateClient();
        var repository = fixture.NewRepository("push");
        await client.PingAsync();

        var image = await TestImages.PushAsync(client, repository, "1.0", "layer bytes of the push test");

        image.Digest.Should().Be(Digest.Of(image.Manifest));
        var byTag = await client.GetManifestAsync(repository, "1.0");
        byTag.Bytes.Should().Equal(image.Manifest);
        byTag.MediaType.Should().Be(MediaTypes.OciManifest);
        byTag.Digest.Should().Be(image.Digest);
        var byDigest = await client.GetManifestAsync(repository, image.Digest.Value);
        byDigest.Bytes.Should().Equal(image.Manifest);

        var head = await client.HeadManifestAsync(repository, "1.0");
        head.Should().Be(new ManifestInfo(image.Digest, MediaTypes.OciManifest, image.Manifest.Length));

        foreach (var (digest, bytes) in image.Blobs)
        {
            (await client.HeadBlobAsync(repository, digest)).Should().Be(bytes.Length);
            await using var stream = await client.GetBlobAsync(repository, digest);
            var read = new MemoryStream();
            await stream.CopyToAsync(read);
            read.ToArray().Should().Equal(bytes);
        }

        var skopeo = await ExternalTool.RunAsync("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{fixture.Host}/{repository}:1.0");
        skopeo.Should().Equal(image.Manifest);
        Digest.Of(skopeo).Should().Be(image.Digest);
    }

    [Fact]
    public async Task Listing_follows_link_pagination_with_page_size_one()
    {
        using var registry = await TestRegistry.StartAsync();
        using var client = registry.CreateClient();
        foreach (var name in new[] { "b/two", "a/one", "c/three" })
            await TestImages.PushAsync(client, name, "v1", "content of " + name);
        await TestImages.PushAsync(client, "a/one", "v2", "second tag");
        await TestImages.PushAsync(client, "a/one", "v3", "third tag");

        var pages = new FaultProxy(registry.Host);
        using (pages)
        using (var viaProxy = new RegistryClient(pages.Host))
        {
            (await viaProxy.ListRepositoriesAsync(pageSize: 1)).Should().Equal("a/one", "b/two", "c/three");
            (await viaProxy.ListTagsAsync("a/one", pageSize: 1)).Should().BeEquivalentTo("v1", "v2", "v3");
        }
        // Every page was its own request: the catalog needed at least three.
        pages.Requests.Count(r => r.PathAndQuery.StartsWith("/v2/_catalog")).Should().BeGreaterThanOrEqualTo(3);
        // Distribution 2.8 ignores n on tags/list and answers with one page; the request still asks for n=1, and the
        // Link-following code is the one the catalog pages above went through.
        pages.Requests.Should().Contain(r => r.PathAndQuery == "/v2/a/one/tags/list?n=1");
    }

    [Fact]
    public async Task Blob_is_mounted_across_repositories_and_a_missing_source_falls_back()
    {
        using var client = fixture.CreateClient();
        var from = fixture.NewRepository("mount-from");
        var to = fixture.NewRepository("mount-to");
        var bytes = Encoding.UTF8.GetBytes("a blob to mount");
        var digest = Digest.Of(bytes);
        await client.UploadBlobAsync(from, digest, bytes);

        (await client.HeadBlobAsync(to, digest)).Should().BeNull();
        (await client.MountBlobAsync(to, digest, from)).Should().BeTrue();
        (await client.HeadBlobAsync(to, digest)).Should().Be(bytes.Length);

        var other = Digest.Of(Encoding.UTF8.GetBytes("not pushed anywhere"));
        var elsewhere = fixture.NewRepository("mount-none");
        (await client.MountBlobAsync(elsewhere, other, from)).Should().BeFalse();
        (await client.HeadBlobAsync(elsewhere, other)).Should().BeNull();
    }

    [Fact]
    public async Task Large_blob_goes_up_in_chunks_with_content_ranges()
    {
        using var proxy = new FaultProxy(fixture.Host);
        using var client = new RegistryClient(proxy.Host, new RegistryClientOptions { ChunkedUploadThreshold = 1000, ChunkSize = 1024 });
        var repository = fixture.NewRepository("chunked");
        var bytes = new byte[3000];
        new Random(7).NextBytes(bytes);
        var digest = Digest.Of(bytes);

        await client.UploadBlobAsync(repository, digest, new MemoryStream(bytes), bytes.Length);

        proxy.Requests.Where(r => r.Method == "PATCH").Select(r => r.Header("Content-Range"))
            .Should().Equal("0-1023", "1024-2047", "2048-2999");
        proxy.Requests.Should().ContainSingle(r => r.Method == "PUT" && r.PathAndQuery.Contains("digest=sha256%3A" + digest.Hex));
        using var direct = fixture.CreateClient();
        await using var stream = await direct.GetBlobAsync(repository, digest);
        var read = new MemoryStream();
        await stream.CopyToAsync(read);
        read.ToArray().Should().Equal(bytes);
    }

    [Fact]
    public async Task Small_blob_goes_up_monolithically()
    {
        using var proxy = new FaultProxy(fixture.Host);
        using var client = new RegistryClient(proxy.Host);
        var repository = fixture.NewRepository("monolithic");
        var bytes = Encoding.UTF8.GetBytes("small");

        await client.UploadBlobAsync(repository, Digest.Of(bytes), bytes);

        proxy.Requests.Select(r => r.Method).Should().Equal("POST", "PUT");
    }

    [Fact]
    public async Task Upload_with_the_wrong_digest_is_refused_and_nothing_is_committed()
    {
        using var client = fixture.CreateClient(new RegistryClientOptions { ChunkedUploadThreshold = 10, ChunkSize = 8 });
        var repository = fixture.NewRepository("mismatch");
        var claimed = Digest.Of(Encoding.UTF8.GetBytes("the bytes that were promised"));
        var actual = Encoding.UTF8.GetBytes("the bytes that were delivered");

        var inMemory = async () => await client.UploadBlobAsync(repository, claimed, actual);
        (await inMemory.Should().ThrowAsync<RegistryException>()).Which.Message.Should().Contain("digest mismatch");

        var streamed = async () => await client.UploadBlobAsync(repository, claimed, new MemoryStream(actual));
        (await streamed.Should().ThrowAsync<RegistryException>()).Which.Message.Should().Contain("not committed");

        (await client.HeadBlobAsync(repository, claimed)).Should().BeNull();
        (await client.HeadBlobAsync(repository, Digest.Of(actual))).Should().BeNull();

        var manifest = Encoding.UTF8.GetBytes("{}");
        var put = async () => await client.PutManifestAsync(repository, claimed.Value, manifest, MediaTypes.OciManifest);
        (await put.Should().ThrowAsync<RegistryException>()).Which.Message.Should().Contain("digest mismatch");
    }

    [Fact]
    public async Task Corrupted_stored_bytes_are_detected_on_read()
    {
        using var client = fixture.CreateClient();
        var repository = fixture.NewRepository("corrupt");
        var image = await TestImages.PushAsync(client, repository, "bad", "these bytes will be corrupted on disk");
        var (layerDigest, layer) = image.Blobs[1];
        var path = TestImages.BlobDataPath(fixture.Registry, layerDigest);
        var stored = await File.ReadAllBytesAsync(path);
        stored.Should().Equal(layer);
        stored[0] ^= 0xff;
        await File.WriteAllBytesAsync(path, stored);

        await using (var stream = await client.GetBlobAsync(repository, layerDigest))
        {
            var read = async () => await stream.CopyToAsync(Stream.Null);
            (await read.Should().ThrowAsync<RegistryException>()).Which.Message.Should().Contain("digest mismatch");
        }
        // Copies across registries refuse such bytes too: BlobTransferTests.

        // A manifest whose stored bytes changed is refused when fetched by digest.
        var manifestPath = TestImages.BlobDataPath(fixture.Registry, image.Digest);
        var manifestBytes = await File.ReadAllBytesAsync(manifestPath);
        var text = Encoding.UTF8.GetString(manifestBytes).Replace("\"schemaVersion\":2", "\"schemaVersion\": 2");
        await File.WriteAllBytesAsync(manifestPath, Encoding.UTF8.GetBytes(text));
        var get = async () => await client.GetManifestAsync(repository, image.Digest.Value);
        (await get.Should().ThrowAsync<RegistryException>()).Which.Message.Should().Contain("digest mismatch");
    }

    [Fact]
    public async Task Deleted_manifest_is_gone()
    {
        using var client = fixture.CreateClient();
        var repository = fixture.NewRepository("delete");
        var image = await TestImages.PushAsync(client, repository, "doomed", "to be deleted");

        await client.DeleteManifestAsync(repository, image.Digest.Value);

        (await client.HeadManifestAsync(repository, image.Digest.Value)).Should().BeNull();
        (await client.HeadManifestAsync(repository, "doomed")).Should().BeNull();
        var get = async () => await client.GetManifestAsync(repository, image.Digest.Value);
        var error = (await get.Should().ThrowAsync<RegistryException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.NotFound);
        error.HasErrorCode("MANIFEST_UNKNOWN").Should().BeTrue();
    }

    [Fact]
    public async Task Refused_connection_names_the_registry()
    {
        using var client = new RegistryClient("127.0.0.1:1");
        var ping = async () => await client.PingAsync();
        var error = (await ping.Should().ThrowAsync<RegistryException>()).Which;
        error.Message.Should().StartWith("registry 127.0.0.1:1 refused the connection");
        error.StatusCode.Should().BeNull();
    }

    [Fact]
    public async Task Unknown_repository_and_manifest_give_their_oci_error_codes()
    {
        using var client = fixture.CreateClient();
        var tags = async () => await client.ListTagsAsync("no/such-repository");
        var unknownName = (await tags.Should().ThrowAsync<RegistryException>()).Which;
        unknownName.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknownName.HasErrorCode("NAME_UNKNOWN").Should().BeTrue();
        unknownName.Message.Should().Contain($"{fixture.Host}/no/such-repository").And.Contain("NAME_UNKNOWN");

        var repository = fixture.NewRepository("known");
        await TestImages.PushAsync(client, repository, "present", "present");
        var manifest = async () => await client.GetManifestAsync(repository, "absent");
        var unknownManifest = (await manifest.Should().ThrowAsync<RegistryException>()).Which;
        unknownManifest.HasErrorCode("MANIFEST_UNKNOWN").Should().BeTrue();
        unknownManifest.Reference.Should().Be($"{fixture.Host}/{repository}:absent");
        (await client.HeadManifestAsync(repository, "absent")).Should().BeNull();
    }

    [Fact]
    public async Task Listing_tags_or_empty_reads_an_unknown_repository_as_one_without_tags_and_still_throws_other_failures()
    {
        using var client = fixture.CreateClient();
        (await client.ListTagsOrEmptyAsync("no/such-repository")).Should().BeEmpty();

        var repository = fixture.NewRepository("listed");
        await TestImages.PushAsync(client, repository, "v1", "one");
        await TestImages.PushAsync(client, repository, "V1", "other case");
        var tags = await client.ListTagsOrEmptyAsync(repository);
        tags.Should().BeEquivalentTo("v1", "V1");
        tags.Contains("v1").Should().BeTrue();
        tags.Contains("V1").Should().BeTrue();
        tags.Contains("v2").Should().BeFalse();

        // A failure that is not a 404 is the caller's to handle (here: nothing listens on port 1).
        using var refused = new RegistryClient("127.0.0.1:1");
        var list = async () => await refused.ListTagsOrEmptyAsync("team/app");
        (await list.Should().ThrowAsync<RegistryException>()).Which.StatusCode.Should().BeNull();
    }

    [Fact]
    public async Task A_503_is_retried_and_without_retries_it_is_reported()
    {
        using var client = fixture.CreateClient();
        var repository = fixture.NewRepository("retry");
        var image = await TestImages.PushAsync(client, repository, "1", "retry me");

        using (var flaky = new FaultProxy(fixture.Host).Add(new FaultRule("^[A-Z]+ [^?]*/manifests/", FaultKind.Answer, 1) { Status = 503 }))
        {
            var log = new List<string>();
            using var retrying = new RegistryClient(flaky.Host, new RegistryClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1), Log = log.Add });
            (await retrying.GetManifestAsync(repository, "1")).Bytes.Should().Equal(image.Manifest);
            flaky.Requests.Where(r => r.PathAndQuery.Contains("/manifests/")).Select(r => r.Status).Should().Equal(503, 200);
            log.Should().ContainSingle(l => l.Contains("HTTP 503") && l.Contains("retry 1 in"));
        }

        using (var flaky = new FaultProxy(fixture.Host).Add(new FaultRule("^", FaultKind.Answer, 1) { Status = 503 }))
        {
            using var once = new RegistryClient(flaky.Host, new RegistryClientOptions { MaxRetries = 0 });
            var get = async () => await once.GetManifestAsync(repository, "1");
            (await get.Should().ThrowAsync<RegistryException>()).Which.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }
    }

    [Fact]
    public async Task A_reset_connection_is_retried()
    {
        using var client = fixture.CreateClient();
        var repository = fixture.NewRepository("reset");
        var image = await TestImages.PushAsync(client, repository, "1", "reset me");

        using var flaky = new FaultProxy(fixture.Host).Add(new FaultRule("^", FaultKind.Reset, 1));
        var log = new List<string>();
        using var retrying = new RegistryClient(flaky.Host, new RegistryClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1), Log = log.Add });

        (await retrying.GetManifestAsync(repository, "1")).Bytes.Should().Equal(image.Manifest);
        flaky.Requests.Count(r => r.Fault == FaultKind.Reset).Should().Be(1);
        log.Should().ContainSingle(l => l.Contains("retry 1 in"));

        using var resetting = new FaultProxy(fixture.Host).Add(new FaultRule("^", FaultKind.Reset, 1));
        using var once = new RegistryClient(resetting.Host, new RegistryClientOptions { MaxRetries = 0 });
        var get = async () => await once.GetManifestAsync(repository, "1");
        (await get.Should().ThrowAsync<RegistryException>()).Which.Message.Should().StartWith($"registry {resetting.Host} reset the connection");
    }

    [Fact]
    public async Task Inventory_lists_tags_digests_and_index_children()
    {
        using var registry = await TestRegistry.StartAsync();
        using var client = registry.CreateClient();
        var amd64 = await TestImages.PushAsync(client, "multi", null, "amd64 layer", "amd64");
        var arm64 = await TestImages.PushAsync(client, "multi", null, "arm64 layer", "arm64");
        var (_, indexDigest) = await TestImages.PushIndexAsync(client, "multi", "1.0", amd64, arm64);
        await client.PutManifestAsync("multi", "latest", (await client.GetManifestAsync("multi", "1.0")).Bytes, MediaTypes.OciIndex);
        var single = await TestImages.PushAsync(client, "single", "v1", "single layer");
        await TestImages.PushAsync(client, "single", null, "untagged, unreachable");

        var inventory = await RegistryInventory.ReadAsync(client, pageSize: 1);

        inventory.Select(r => r.Repository).Should().Equal("multi", "single");
        inventory[0].Manifests.Should().BeEquivalentTo(new[]
        {
            new InventoryManifest(indexDigest, MediaTypes.OciIndex, ["1.0", "latest"]),
            new InventoryManifest(amd64.Digest, MediaTypes.OciManifest, []),
            new InventoryManifest(arm64.Digest, MediaTypes.OciManifest, []),
        });
        inventory[0].Manifests.Select(m => m.Digest.Value).Should().BeInAscendingOrder(StringComparer.Ordinal);
        inventory[1].Manifests.Should().BeEquivalentTo(new[] { new InventoryManifest(single.Digest, MediaTypes.OciManifest, ["v1"]) });
    }

    [Fact]
    public void Missing_binary_error_gives_the_install_command()
    {
        var empty = Directory.CreateTempSubdirectory("promoter-nobin-");
        try
        {
            var find = () => LocalRegistry.FindBinary([empty.FullName]);
            find.Should().Throw<RegistryException>().WithMessage("*apt-get install -y docker-registry*");
        }
        finally
        {
            empty.Delete();
        }
    }
}
