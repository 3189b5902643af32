using System.Text;
using FluentAssertions;
using Promoter.Oci;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;

namespace Promoter.Tests.Registry;

/// <summary>
/// <see cref="BlobTransfer"/> against real registries, with a recording proxy where the requests sent matter: one upload
/// per (registry, repository, digest) in a run, mounts within a registry, verified streams across registries, small blobs
/// read once for every destination, corrupted bytes never committed.
/// </summary>
public sealed class BlobTransferTests(TwoRegistries registries) : IClassFixture<TwoRegistries>
{
    private static (Digest Digest, byte[] Bytes) Blob(string text) => (Digest.Of(Encoding.UTF8.GetBytes(text)), Encoding.UTF8.GetBytes(text));

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static int Count(FaultProxy proxy, string method, string pathStart) =>
        proxy.Requests.Count(r => r.Method == method && r.PathAndQuery.StartsWith(pathStart, StringComparison.Ordinal));

    [Fact]
    public async Task Two_pushes_sharing_one_transfer_upload_a_shared_blob_once()
    {
        using var proxy = new FaultProxy(registries.First.Host);
        using var client = new RegistryClient(proxy.Host);
        var repository = registries.NewRepository("dedupe");
        var shared = Blob("the empty layer both images have");
        var first = Blob("only in the first image");
        var second = Blob("only in the second image");
        var transfer = new BlobTransfer();

        // Two pushes at once, as images of one golden set go up: bytes for one, a stream opener for the other.
        Task<BlobCopyOutcome[]> Push(params (Digest Digest, byte[] Bytes)[] blobs) => Task.WhenAll(blobs.Select(b =>
            b == second
                ? transfer.UploadAsync(client, repository, b.Digest, b.Bytes.Length, () => new MemoryStream(b.Bytes))
                : transfer.UploadAsync(client, repository, b.Digest, b.Bytes)));
        var outcomes = await Task.WhenAll(Push(shared, first), Push(shared, second));

        outcomes.SelectMany(o => o).Should().BeEquivalentTo(new[]
        {
            BlobCopyOutcome.Uploaded, BlobCopyOutcome.Uploaded, BlobCopyOutcome.Uploaded, BlobCopyOutcome.Shared,
        }, "the shared blob goes up once; the other push waits for it");
        Count(proxy, "POST", $"/v2/{repository}/blobs/uploads/").Should().Be(3, "one upload session per distinct blob");
        Count(proxy, "HEAD", $"/v2/{repository}/blobs/{shared.Digest}").Should().Be(2, "one check before the upload, one after");
        foreach (var (digest, bytes) in new[] { shared, first, second })
            (await client.HeadBlobAsync(repository, digest)).Should().Be(bytes.Length);

        // A third push of the run asks nothing; another run finds the blobs already there.
        (await transfer.UploadAsync(client, repository, shared.Digest, shared.Bytes)).Should().Be(BlobCopyOutcome.Shared);
        (await new BlobTransfer().UploadAsync(client, repository, shared.Digest, shared.Bytes)).Should().Be(BlobCopyOutcome.AlreadyPresent);
        Count(proxy, "POST", $"/v2/{repository}/blobs/uploads/").Should().Be(3);

        // The same digest in another repository is another move.
        var other = registries.NewRepository("dedupe-other");
        (await transfer.UploadAsync(client, other, shared.Digest, shared.Bytes)).Should().Be(BlobCopyOutcome.Uploaded);
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_digest_are_not_uploaded_and_the_failure_is_not_remembered()
    {
        using var client = registries.CreateClient(0);
        var repository = registries.NewRepository("wrong-bytes");
        var promised = Blob("the promised bytes");
        var transfer = new BlobTransfer();

        var wrong = async () => await transfer.UploadAsync(client, repository, promised.Digest, Encoding.UTF8.GetBytes("other bytes"));
        (await wrong.Should().ThrowAsync<RegistryException>()).Which.Message.Should().Contain("digest mismatch");
        (await client.HeadBlobAsync(repository, promised.Digest)).Should().BeNull();

        (await transfer.UploadAsync(client, repository, promised.Digest, promised.Bytes)).Should().Be(BlobCopyOutcome.Uploaded,
            "a failed move is forgotten, so the run can try again");
    }

    [Fact]
    public async Task A_copy_within_a_registry_is_a_mount_and_moves_no_bytes()
    {
        using var proxy = new FaultProxy(registries.First.Host);
        using var client = new RegistryClient(proxy.Host);
        var from = registries.NewRepository("mount-from");
        var to = registries.NewRepository("mount-to");
        var (digest, bytes) = Blob("a layer to mount");
        using (var direct = registries.CreateClient(0))
            await direct.UploadBlobAsync(from, digest, bytes);
        var transfer = new BlobTransfer();

        (await transfer.CopyAsync(client, from, client, to, digest, bytes.Length)).Should().Be(BlobCopyOutcome.Mounted);

        proxy.Requests.Should().ContainSingle(r => r.Method == "POST").Which.PathAndQuery
            .Should().Be($"/v2/{to}/blobs/uploads/?mount={Uri.EscapeDataString(digest.Value)}&from={Uri.EscapeDataString(from)}");
        proxy.Requests.Should().NotContain(r => r.Method == "GET" || r.Method == "PUT" || r.Method == "PATCH", "a mount moves no bytes");
        (await client.HeadBlobAsync(to, digest)).Should().Be(bytes.Length);
        (await transfer.CopyAsync(client, from, client, to, digest, bytes.Length)).Should().Be(BlobCopyOutcome.Shared);
        (await new BlobTransfer().CopyAsync(client, from, client, to, digest, bytes.Length)).Should().Be(BlobCopyOutcome.AlreadyPresent);
    }

    [Fact]
    public async Task A_copy_across_registries_streams_verified_bytes_and_reads_a_small_blob_once_for_every_destination()
    {
        using var proxy = new FaultProxy(registries.First.Host);
        using var source = new RegistryClient(proxy.Host);
        using var target = registries.CreateClient(1);
        var from = registries.NewRepository("stream-from");
        var small = RandomBytes(4096, 1);
        var large = RandomBytes((int)BlobTransfer.SmallBlobBytes + 4096, 2);
        using (var direct = registries.CreateClient(0))
        {
            await direct.UploadBlobAsync(from, Digest.Of(small), small);
            await direct.UploadBlobAsync(from, Digest.Of(large), large);
        }
        var transfer = new BlobTransfer();
        // Two destination registries: the second is the same process behind another address (a proxy), which the client
        // cannot tell from another registry; two repositories of one registry would get the second copy by a mount.
        using var otherAddress = new FaultProxy(registries.Second.Host);
        using var otherTarget = new RegistryClient(otherAddress.Host);
        var destinations = new[] { (target, registries.NewRepository("stream-a")), (otherTarget, registries.NewRepository("stream-b")) };

        foreach (var (client, destination) in destinations)
        {
            (await transfer.CopyAsync(source, from, client, destination, Digest.Of(small), small.Length)).Should().Be(BlobCopyOutcome.Uploaded);
            (await transfer.CopyAsync(source, from, client, destination, Digest.Of(large), large.Length)).Should().Be(BlobCopyOutcome.Uploaded);
        }

        Count(proxy, "GET", $"/v2/{from}/blobs/{Digest.Of(small)}").Should().Be(1, "a small blob is read once per run for all destinations");
        Count(proxy, "GET", $"/v2/{from}/blobs/{Digest.Of(large)}").Should().Be(2, "a large blob is streamed through for each destination");
        foreach (var (_, destination) in destinations)
        {
            foreach (var bytes in new[] { small, large })
            {
                await using var stream = await target.GetBlobAsync(destination, Digest.Of(bytes));
                var read = new MemoryStream();
                await stream.CopyToAsync(read);
                read.ToArray().Should().Equal(bytes);
            }
        }

        // A cache of no bytes streams every copy.
        var uncached = new BlobTransfer(cacheBytes: 0);
        var third = registries.NewRepository("stream-c");
        (await uncached.CopyAsync(source, from, target, third, Digest.Of(small), small.Length)).Should().Be(BlobCopyOutcome.Uploaded);
        Count(proxy, "GET", $"/v2/{from}/blobs/{Digest.Of(small)}").Should().Be(2);
    }

    [Theory]
    [InlineData(false)] // size unknown: streamed through
    [InlineData(true)]  // size known and small: read into the run's cache
    public async Task A_corrupted_source_blob_is_refused_and_nothing_is_committed(bool sizeKnown)
    {
        using var source = registries.CreateClient(0);
        using var target = registries.CreateClient(1);
        var from = registries.NewRepository("corrupt-from");
        var to = registries.NewRepository("corrupt-to");
        var image = await TestImages.PushAsync(source, from, "bad", $"bytes corrupted on disk, size known: {sizeKnown}");
        var (digest, layer) = image.Blobs[1];
        var path = TestImages.BlobDataPath(registries.First, digest);
        var stored = await File.ReadAllBytesAsync(path);
        stored[0] ^= 0xff;
        await File.WriteAllBytesAsync(path, stored);
        var transfer = new BlobTransfer();
        var size = sizeKnown ? layer.Length : -1;

        var copy = async () => await transfer.CopyAsync(source, from, target, to, digest, size);

        var error = (await copy.Should().ThrowAsync<RegistryException>()).Which;
        error.Message.Should().StartWith($"copy blob {registries.First.Host}/{from}@{digest} to {registries.Second.Host}/{to}: ")
            .And.Contain("digest mismatch");
        (await target.HeadBlobAsync(to, digest)).Should().BeNull("corrupted bytes are never committed");

        // Once the source holds the right bytes again, the same run copies the blob: the failure was not remembered.
        stored[0] ^= 0xff;
        await File.WriteAllBytesAsync(path, stored);
        (await transfer.CopyAsync(source, from, target, to, digest, size)).Should().Be(BlobCopyOutcome.Uploaded);
        (await target.HeadBlobAsync(to, digest)).Should().Be(layer.Length);
    }

    [Fact]
    public async Task A_blob_copied_across_registries_into_several_repositories_goes_up_once_and_is_mounted_into_the_others()
    {
        using var proxy = new FaultProxy(registries.Second.Host);
        using var source = registries.CreateClient(0);
        using var target = new RegistryClient(proxy.Host);
        var from = registries.NewRepository("base-from");
        var bytes = RandomBytes(300_000, 7);
        var digest = Digest.Of(bytes);
        await source.UploadBlobAsync(from, digest, bytes);
        var repositories = Enumerable.Range(0, 5).Select(i => registries.NewRepository($"base-to-{i}")).ToList();
        var transfer = new BlobTransfer();

        // Five images sharing a base layer, copied at once into five repositories of one destination registry.
        var outcomes = await Task.WhenAll(repositories.Select(r => transfer.CopyAsync(source, from, target, r, digest, bytes.Length)));

        outcomes.Count(o => o == BlobCopyOutcome.Uploaded).Should().Be(1);
        outcomes.Count(o => o == BlobCopyOutcome.Mounted).Should().Be(4);
        var posts = proxy.Requests.Where(r => r.Method == "POST").ToList();
        posts.Count(r => r.PathAndQuery.Contains("?mount=", StringComparison.Ordinal)).Should().Be(4);
        posts.Count(r => !r.PathAndQuery.Contains("?mount=", StringComparison.Ordinal)).Should().Be(1, "the bytes go up once");
        foreach (var repository in repositories)
            (await target.HeadBlobAsync(repository, digest)).Should().Be(bytes.Length);

        // A later copy of the run into yet another repository is a mount too; a new run finds the blob already in the first.
        var late = registries.NewRepository("base-to-late");
        (await transfer.CopyAsync(source, from, target, late, digest, bytes.Length)).Should().Be(BlobCopyOutcome.Mounted);
        (await new BlobTransfer().CopyAsync(source, from, target, repositories[0], digest, bytes.Length)).Should().Be(BlobCopyOutcome.AlreadyPresent);
    }
}
