using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Promoter.Oci;

namespace Promoter.Registry;

public sealed partial class RegistryClient
{
    /// <summary><c>HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: the blob's size in bytes, or null when the repository does not have it.</summary>
    /// <exception cref="RegistryException">Any answer but 200 or 404.</exception>
    public async Task<long?> HeadBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        var what = Describe(repository, digest.Value);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, BlobUrl(repository, digest)),
            RequestScope.Pull(repository), "check blob", what, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, "check blob", what, cancellationToken);
        return response.Content.Headers.ContentLength ?? -1;
    }

    /// <summary>
    /// <c>GET /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>: a stream of the blob's bytes that checks them as they are read.
    /// Reading to the end throws when the bytes do not hash to <paramref name="digest"/> or their count differs from the
    /// Content-Length. Dispose the stream.
    /// </summary>
    /// <exception cref="RegistryException"><c>BLOB_UNKNOWN</c> (404) or another failure; from the stream's reads: a digest mismatch.</exception>
    public async Task<Stream> GetBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        var (stream, length) = await OpenBlobAsync(repository, digest, cancellationToken);
        return new DigestVerifyingStream(stream, digest, length, Describe(repository, digest.Value));
    }

    /// <summary><c>DELETE /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c> (the registry must have deletes enabled).</summary>
    /// <exception cref="RegistryException">For example <c>BLOB_UNKNOWN</c> (404) or <c>UNSUPPORTED</c> (405).</exception>
    public async Task DeleteBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        var what = Describe(repository, digest.Value);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, BlobUrl(repository, digest)),
            RequestScope.Delete(repository), "delete blob", what, cancellationToken);
        await EnsureSuccessAsync(response, "delete blob", what, cancellationToken);
    }

    /// <summary>
    /// Uploads <paramref name="content"/> as blob <paramref name="digest"/>: monolithic (<c>POST</c> then
    /// <c>PUT ?digest=</c>) up to <see cref="RegistryClientOptions.ChunkedUploadThreshold"/> bytes, chunked
    /// (<c>POST</c>, <c>PATCH</c> with Content-Range per chunk, <c>PUT ?digest=</c>) above it.
    /// </summary>
    /// <exception cref="RegistryException">The bytes do not hash to <paramref name="digest"/> (nothing is sent), or the registry refused the upload.</exception>
    public async Task UploadBlobAsync(string repository, Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var what = Describe(repository, digest.Value);
        var actual = Digest.Of(content.Span);
        if (actual != digest)
            throw new RegistryException($"upload blob {what}: digest mismatch: the {content.Length} bytes hash to {actual}; nothing was uploaded.", what);
        if (content.Length > _options.ChunkedUploadThreshold)
        {
            await using var stream = new MemoryStream(content.ToArray(), writable: false);
            await UploadChunkedAsync(repository, digest, stream, content.Length, what, cancellationToken);
            return;
        }
        var location = await StartUploadAsync(repository, what, cancellationToken);
        await FinishUploadAsync(location, digest, content, repository, what, cancellationToken);
    }

    /// <summary>
    /// Uploads the bytes read from <paramref name="content"/> as blob <paramref name="digest"/>, hashing them on the way.
    /// A known <paramref name="size"/> up to the chunked-upload threshold is read into memory, checked and sent monolithically;
    /// otherwise the bytes go in chunks and the upload is committed only when they hash to <paramref name="digest"/>
    /// (on a mismatch or a failed read the upload session is cancelled).
    /// </summary>
    /// <param name="repository">The target repository.</param>
    /// <param name="digest">The digest the bytes must have.</param>
    /// <param name="content">The bytes, read to the end.</param>
    /// <param name="size">The expected length in bytes, or -1 when unknown.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <exception cref="RegistryException">Digest or length mismatch (nothing committed), or the registry refused the upload.</exception>
    public async Task UploadBlobAsync(string repository, Digest digest, Stream content, long size = -1, CancellationToken cancellationToken = default)
    {
        var what = Describe(repository, digest.Value);
        if (size >= 0 && size <= _options.ChunkedUploadThreshold)
        {
            var buffer = new byte[size];
            var read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            if (read != size || await content.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false, cancellationToken) != 0)
                throw new RegistryException($"upload blob {what}: the source gave {(read != size ? read.ToString() : "more than " + size)} bytes, expected {size}; nothing was uploaded.", what);
            await UploadBlobAsync(repository, digest, buffer, cancellationToken);
            return;
        }
        await UploadChunkedAsync(repository, digest, content, size, what, cancellationToken);
    }

    /// <summary>
    /// Cross-repository mount (<c>POST /v2/&lt;name&gt;/blobs/uploads/?mount=&lt;digest&gt;&amp;from=&lt;repo&gt;</c>):
    /// true when the registry answered 201 (mounted); false when it answered 202 (it cannot mount, e.g. the blob is
    /// not in <paramref name="fromRepository"/>), in which case the upload session it opened is cancelled.
    /// </summary>
    /// <exception cref="RegistryException">Any other answer.</exception>
    public async Task<bool> MountBlobAsync(string repository, Digest digest, string fromRepository, CancellationToken cancellationToken = default)
    {
        var what = Describe(repository, digest.Value);
        var url = Url($"v2/{CheckRepository(repository)}/blobs/uploads/?mount={Uri.EscapeDataString(digest.Value)}&from={Uri.EscapeDataString(CheckRepository(fromRepository))}");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, url), RequestScope.Mount(repository, fromRepository),
            $"mount blob from {fromRepository} to", what, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Created) return true;
        await EnsureSuccessAsync(response, $"mount blob from {fromRepository} to", what, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is { } location)
            await CancelUploadAsync(new Uri(BaseAddress, location), repository, cancellationToken);
        return false;
    }

    /// <summary>
    /// GET of a blob without verification: the body stream (owning the response) and its Content-Length. For
    /// <see cref="BlobTransfer"/>, whose upload of the stream checks the digest before committing.
    /// </summary>
    internal async Task<(Stream Stream, long? Length)> OpenBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var what = Describe(repository, digest.Value);
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, BlobUrl(repository, digest)),
            RequestScope.Pull(repository), "get blob", what, cancellationToken);
        try
        {
            await EnsureSuccessAsync(response, "get blob", what, cancellationToken);
            var body = WatchBody(await response.Content.ReadAsStreamAsync(cancellationToken), "get blob", what);
            return (new ResponseOwningStream(body, response), response.Content.Headers.ContentLength);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task UploadChunkedAsync(string repository, Digest digest, Stream content, long size, string what, CancellationToken cancellationToken)
    {
        var location = await StartUploadAsync(repository, what, cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[_options.ChunkSize];
        long offset = 0;
        try
        {
            while (true)
            {
                var read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                if (read == 0) break;
                hash.AppendData(buffer, 0, read);
                location = await PatchChunkAsync(location, offset, buffer[..read], repository, what, cancellationToken);
                offset += read;
                if (read < buffer.Length) break;
            }
            if (size >= 0 && offset != size)
                throw new RegistryException($"upload blob {what}: the source gave {offset} bytes, expected {size}; the upload was not committed.", what);
            var actual = Digest.FromHash(hash.GetHashAndReset());
            if (actual != digest)
                throw new RegistryException($"upload blob {what}: digest mismatch: the {offset} bytes read hash to {actual}; the upload was not committed.", what);
            await FinishUploadAsync(location, digest, ReadOnlyMemory<byte>.Empty, repository, what, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await CancelUploadAsync(location, repository, CancellationToken.None);
            throw;
        }
    }

    /// <summary><c>POST /v2/&lt;name&gt;/blobs/uploads/</c>: opens an upload session; returns its absolute Location.</summary>
    private async Task<Uri> StartUploadAsync(string repository, string what, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url($"v2/{CheckRepository(repository)}/blobs/uploads/")),
            RequestScope.Push(repository), "start upload of blob", what, cancellationToken);
        await EnsureSuccessAsync(response, "start upload of blob", what, cancellationToken);
        return response.Headers.Location is { } location
            ? new Uri(BaseAddress, location)
            : throw new RegistryException($"start upload of blob {what}: registry {Host} answered {(int)response.StatusCode} without a Location.", what, response.StatusCode);
    }

    /// <summary><c>PATCH &lt;location&gt;</c> with <c>Content-Range: start-end</c> (inclusive); returns the next Location.</summary>
    private async Task<Uri> PatchChunkAsync(Uri location, long offset, byte[] chunk, string repository, string what, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(chunk) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + chunk.Length - 1}");
            return request;
        }, RequestScope.Push(repository), $"upload chunk at byte {offset} of blob", what, cancellationToken, Replay.UploadSession);
        await EnsureSuccessAsync(response, $"upload chunk at byte {offset} of blob", what, cancellationToken);
        return response.Headers.Location is { } next ? new Uri(BaseAddress, next) : location;
    }

    /// <summary><c>PUT &lt;location&gt;?digest=</c> with the last (possibly empty) bytes: commits the blob; checks the reported digest.</summary>
    private async Task FinishUploadAsync(Uri location, Digest digest, ReadOnlyMemory<byte> lastBytes, string repository, string what, CancellationToken cancellationToken)
    {
        var builder = new UriBuilder(location);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : "") + "digest=" + Uri.EscapeDataString(digest.Value);
        var url = builder.Uri;
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ReadOnlyMemoryContent(lastBytes) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return request;
        }, RequestScope.Push(repository), "commit upload of blob", what, cancellationToken, Replay.UploadSession);
        await EnsureSuccessAsync(response, "commit upload of blob", what, cancellationToken);
        var reported = ReportedDigest(response, what);
        if (reported is { } r && r != digest)
            throw new RegistryException($"commit upload of blob {what}: registry {Host} stored it as {r}.", what, response.StatusCode);
    }

    /// <summary><c>DELETE &lt;location&gt;</c>: abandons an upload session; failures are ignored (the registry expires sessions anyway).</summary>
    private async Task CancelUploadAsync(Uri location, string repository, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, location), RequestScope.Push(repository),
                "cancel upload", $"{Host}/{repository}", cancellationToken);
        }
        catch (RegistryException)
        {
            // Best effort only.
        }
    }

    private Uri BlobUrl(string repository, Digest digest) => Url($"v2/{CheckRepository(repository)}/blobs/{digest.Value}");
}
