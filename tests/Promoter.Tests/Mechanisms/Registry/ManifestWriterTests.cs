using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FluentAssertions;
using Promoter.Oci;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;

namespace Promoter.Tests.Registry;

/// <summary>
/// <see cref="ManifestWriter"/> and the concurrent-writer rule of <see cref="BlobTransfer"/> against a real registry,
/// behind a recording proxy that answers chosen requests as a racing writer makes Distribution answer them: the requests
/// per write (one HEAD reads each write back), guards, moved tags naming both digests, retries and their bound.
/// </summary>
public sealed class ManifestWriterTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const string ManifestBlobUnknown = """{"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to registry"}]}""";
    private const string DigestInvalid = """{"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content"}]}""";

    private static readonly RegistryClientOptions NoRetries = new() { MaxRetries = 0 };

    /// <summary>A fault proxy before the registry whose first <paramref name="count"/> PUTs with <paramref name="pathPart"/>
    /// in their path are answered <paramref name="status"/> with <paramref name="body"/> (and <paramref name="then"/> run first).</summary>
    private FaultProxy Refusing(string pathPart, int count, HttpStatusCode status, string? body = null, Action? then = null) =>
        new FaultProxy(registry.Host).Add(new FaultRule($"^PUT [^?]*{Regex.Escape(pathPart)}", FaultKind.Answer, count)
        {
            Status = (int)status,
            Body = body,
            Then = then,
        });

    private static int Count(FaultProxy proxy, string method, string pathPart) =>
        proxy.Requests.Count(r => r.Method == method && r.PathAndQuery.Contains(pathPart, StringComparison.Ordinal));

    private async Task<(string Repository, PushedImage One, PushedImage Two)> SeedAsync(string name)
    {
        using var direct = registry.CreateClient();
        var repository = registry.NewRepository(name);
        var one = await TestImages.PushAsync(direct, repository, null, $"one {repository}\n");
        var two = await TestImages.PushAsync(direct, repository, null, $"two {repository}\n");
        return (repository, one, two);
    }

    private static ManifestContent Content(PushedImage image) => new(image.Manifest, image.MediaType, image.Digest);

    [Fact]
    public async Task A_tag_write_costs_one_put_one_head_that_reads_it_back_and_one_get_that_checks_its_bytes()
    {
        var (repository, one, _) = await SeedAsync("plain");
        using var proxy = new FaultProxy(registry.Host);
        using var client = new RegistryClient(proxy.Host, NoRetries);

        var outcome = await ManifestWriter.PutAsync(client, repository, "1.0", Content(one), ManifestPutGuard.None);

        outcome.Should().Be(ManifestPutOutcome.Written);
        // The read-back HEAD, then the deep check of what was just written: a GET by digest, its bytes hashed.
        proxy.Requests.Select(r => r.Method).Should().Equal("PUT", "HEAD", "GET");
        (await client.HeadManifestAsync(repository, "1.0"))!.Digest.Should().Be(one.Digest);
    }

    [Fact]
    public async Task A_guarded_write_finding_the_digest_in_place_sends_one_head_and_no_put()
    {
        var (repository, one, _) = await SeedAsync("in-place");
        using (var direct = registry.CreateClient()) await direct.PutManifestAsync(repository, "1.0", one.Manifest, one.MediaType);
        using var proxy = new FaultProxy(registry.Host);
        using var client = new RegistryClient(proxy.Host, NoRetries);

        (await ManifestWriter.PutAsync(client, repository, "1.0", Content(one), ManifestPutGuard.Expect(null)))
            .Should().Be(ManifestPutOutcome.AlreadyThere);
        (await ManifestWriter.PutAsync(client, repository, "1.0", Content(one), ManifestPutGuard.Overwrite))
            .Should().Be(ManifestPutOutcome.AlreadyThere);

        proxy.Requests.Select(r => r.Method).Should().Equal("HEAD", "HEAD");
    }

    [Fact]
    public async Task A_tag_another_writer_put_on_another_digest_before_the_put_is_refused_naming_both_digests()
    {
        var (repository, one, two) = await SeedAsync("guard");
        using (var direct = registry.CreateClient()) await direct.PutManifestAsync(repository, "1.0", two.Manifest, two.MediaType);
        using var proxy = new FaultProxy(registry.Host);
        using var client = new RegistryClient(proxy.Host, NoRetries);

        var refused = async () => await ManifestWriter.PutAsync(client, repository, "1.0", Content(one), ManifestPutGuard.Expect(null));

        (await refused.Should().ThrowAsync<RegistryException>()).Which.Message.Should()
            .Contain($"{repository}:1.0 moved under the run").And.Contain($"points at {two.Digest}").And.Contain($"{one.Digest} was not written");
        Count(proxy, "PUT", "/manifests/").Should().Be(0, "nothing is written over a tag that moved");
        (await client.HeadManifestAsync(repository, "1.0"))!.Digest.Should().Be(two.Digest);
    }

    [Fact]
    public async Task A_planned_tag_move_goes_ahead_only_from_the_digest_planned()
    {
        var (repository, one, two) = await SeedAsync("move");
        using var client = registry.CreateClient();
        await client.PutManifestAsync(repository, "1.0", two.Manifest, two.MediaType);

        (await ManifestWriter.PutAsync(client, repository, "1.0", Content(one), ManifestPutGuard.Expect(two.Digest)))
            .Should().Be(ManifestPutOutcome.Written);
        var stale = async () => await ManifestWriter.PutAsync(client, repository, "1.0", Content(two), ManifestPutGuard.Expect(two.Digest));

        (await stale.Should().ThrowAsync<RegistryException>()).Which.Message.Should()
            .Contain($"points at {one.Digest}, not at {two.Digest} as planned");
    }

    [Fact]
    public async Task Reading_back_a_tag_moved_after_the_put_fails_naming_both_digests()
    {
        var (repository, one, two) = await SeedAsync("read-back");
        using var client = registry.CreateClient();
        await ManifestWriter.PutAsync(client, repository, "1.0", one.Digest, _ => Task.FromResult(Content(one)), ManifestPutGuard.None, readBack: false);
        await client.PutManifestAsync(repository, "1.0", two.Manifest, two.MediaType); // the other writer

        var readBack = async () => await ManifestWriter.ReadBackAsync(client, repository, "1.0", one.Digest);

        (await readBack.Should().ThrowAsync<RegistryException>()).Which.Message.Should()
            .Contain($"{repository}:1.0 moved under the run").And.Contain($"after this run wrote {one.Digest} gave {two.Digest}");
    }

    [Fact]
    public async Task A_put_refused_as_a_racing_writer_makes_it_is_retried_and_confirmed()
    {
        var (repository, one, _) = await SeedAsync("retry");
        using var proxy = Refusing("/manifests/", 2, HttpStatusCode.BadRequest, ManifestBlobUnknown);
        using var client = new RegistryClient(proxy.Host, NoRetries);

        (await ManifestWriter.PutAsync(client, repository, "1.0", Content(one), ManifestPutGuard.None))
            .Should().Be(ManifestPutOutcome.Written);

        // Each refused put is followed by a HEAD asking whether the other writer's put landed; then the read-back.
        proxy.Requests.Select(r => (r.Method, r.Status)).Should().Equal(
            ("PUT", 400), ("HEAD", 404), ("PUT", 400), ("HEAD", 404), ("PUT", 201), ("HEAD", 200), ("GET", 200));
    }

    [Fact]
    public async Task A_put_refused_while_the_other_writer_put_the_same_manifest_is_done()
    {
        var (repository, one, _) = await SeedAsync("landed");
        using (var other = registry.CreateClient()) await other.PutManifestAsync(repository, "1.0", one.Manifest, one.MediaType);
        using var proxy = Refusing("/manifests/", 1, HttpStatusCode.BadRequest, DigestInvalid);
        using var client = new RegistryClient(proxy.Host, NoRetries);

        (await ManifestWriter.PutAsync(client, repository, "1.0", Content(one), ManifestPutGuard.None))
            .Should().Be(ManifestPutOutcome.AlreadyThere);
        proxy.Requests.Select(r => r.Method).Should().Equal("PUT", "HEAD", "HEAD", "GET");
    }

    [Fact]
    public async Task A_race_that_never_ends_fails_after_the_bounded_attempts_keeping_the_registry_codes()
    {
        var (repository, one, _) = await SeedAsync("bounded");
        using var proxy = Refusing("/manifests/", 100, HttpStatusCode.BadRequest, ManifestBlobUnknown);
        using var client = new RegistryClient(proxy.Host, NoRetries);

        var put = async () => await ManifestWriter.PutAsync(client, repository, "1.0", Content(one), ManifestPutGuard.None);

        var failure = (await put.Should().ThrowAsync<RegistryException>()).Which;
        failure.Message.Should().Contain("MANIFEST_BLOB_UNKNOWN").And.Contain("still failing after 4 attempts");
        failure.HasErrorCode("MANIFEST_BLOB_UNKNOWN").Should().BeTrue();
        Count(proxy, "PUT", "/manifests/").Should().Be(4);
    }

    [Fact]
    public async Task A_refusal_that_is_not_a_race_is_not_retried()
    {
        var (repository, one, _) = await SeedAsync("no-retry");
        using var proxy = Refusing("/manifests/", 1, HttpStatusCode.Forbidden);
        using var client = new RegistryClient(proxy.Host, NoRetries);

        var put = async () => await ManifestWriter.PutAsync(client, repository, "1.0", Content(one), ManifestPutGuard.None);

        (await put.Should().ThrowAsync<RegistryException>()).Which.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        proxy.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_blob_commit_refused_as_a_racing_upload_makes_it_is_uploaded_again()
    {
        var repository = registry.NewRepository("blob-retry");
        var bytes = Encoding.UTF8.GetBytes($"a blob two writers upload {repository}");
        var digest = Digest.Of(bytes);
        using var proxy = Refusing("/blobs/uploads/", 1, HttpStatusCode.BadRequest, DigestInvalid);
        using var client = new RegistryClient(proxy.Host, NoRetries);

        (await new BlobTransfer().UploadAsync(client, repository, digest, bytes)).Should().Be(BlobCopyOutcome.Uploaded);

        Count(proxy, "POST", "/blobs/uploads/").Should().Be(2, "the upload starts again after the race");
        (await client.HeadBlobAsync(repository, digest)).Should().Be(bytes.Length);
    }

    [Fact]
    public async Task A_blob_commit_refused_while_the_other_writer_committed_the_blob_is_done()
    {
        var repository = registry.NewRepository("blob-landed");
        var bytes = Encoding.UTF8.GetBytes($"a blob the other writer committed {repository}");
        var digest = Digest.Of(bytes);
        using var other = registry.CreateClient();
        // The other writer commits the blob exactly when this writer's commit is refused.
        using var proxy = Refusing("/blobs/uploads/", 1, HttpStatusCode.BadRequest, DigestInvalid,
            then: () => other.UploadBlobAsync(repository, digest, bytes).GetAwaiter().GetResult());
        using var client = new RegistryClient(proxy.Host, NoRetries);

        (await new BlobTransfer().UploadAsync(client, repository, digest, bytes)).Should().Be(BlobCopyOutcome.AlreadyPresent);
        Count(proxy, "POST", "/blobs/uploads/").Should().Be(1, "the blob is in place: no second upload");
    }
}
