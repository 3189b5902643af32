using System.Net;
using System.Net.Http.Headers;
using Promoter.Oci;

namespace Promoter.Registry;

public sealed partial class RegistryClient
{
    /// <summary>
    /// <c>HEAD /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c> (Accept: every type of <see cref="MediaTypes.Manifests"/>):
    /// the digest, media type and size of the manifest, or null when the registry answers 404.
    /// </summary>
    /// <param name="repository">The repository path.</param>
    /// <param name="reference">A tag or a digest (<c>sha256:...</c>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="RegistryException">Any answer but 200 or 404, or a 200 without a valid <c>Docker-Content-Digest</c>.</exception>
    public async Task<ManifestInfo?> HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        var what = Describe(repository, reference);
        using var response = await SendAsync(() => ManifestRequest(HttpMethod.Head, repository, reference), RequestScope.Pull(repository),
            "check manifest", what, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, "check manifest", what, cancellationToken);
        var digest = ReportedDigest(response, what)
            ?? (Digest.TryParse(reference, out var d) ? d : throw new RegistryException($"check manifest {what}: registry {Host} reported no Docker-Content-Digest.", what, response.StatusCode));
        return new ManifestInfo(digest, response.Content.Headers.ContentType?.MediaType ?? "", response.Content.Headers.ContentLength ?? -1);
    }

    /// <summary>
    /// <c>GET /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c> (Accept: every type of <see cref="MediaTypes.Manifests"/>):
    /// the exact bytes, their Content-Type and sha256 digest. When <paramref name="reference"/> is a digest the bytes
    /// must hash to it; when it is a tag they must hash to the <c>Docker-Content-Digest</c> the registry reported
    /// (a registry that reports none cannot be checked; the digest returned is then simply sha256 of the bytes).
    /// </summary>
    /// <exception cref="RegistryException"><c>MANIFEST_UNKNOWN</c> or <c>NAME_UNKNOWN</c> (404), any other failure, or a digest mismatch.</exception>
    public async Task<ManifestContent> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        var what = Describe(repository, reference);
        using var response = await SendAsync(() => ManifestRequest(HttpMethod.Get, repository, reference), RequestScope.Pull(repository),
            "get manifest", what, cancellationToken, buffer: true);
        await EnsureSuccessAsync(response, "get manifest", what, cancellationToken);
        var bytes = await ReadBodyAsync(response, "get manifest", what, cancellationToken);
        var actual = Digest.Of(bytes);
        var expected = Digest.TryParse(reference, out var requested) ? requested : ReportedDigest(response, what);
        if (expected is { } e && e != actual)
            throw new RegistryException(
                $"get manifest {what}: digest mismatch: the {bytes.Length} bytes served hash to {actual}, expected {e}.", what, response.StatusCode);
        return new ManifestContent(bytes, response.Content.Headers.ContentType?.MediaType ?? "", actual);
    }

    /// <summary>
    /// <c>PUT /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c> with Content-Type <paramref name="mediaType"/>: stores the
    /// manifest bytes exactly as given. Every blob and child manifest it references must already be in the repository.
    /// </summary>
    /// <param name="repository">The repository path.</param>
    /// <param name="reference">A tag to point at the manifest, or its digest (to push it untagged).</param>
    /// <param name="bytes">The manifest bytes.</param>
    /// <param name="mediaType">The manifest's media type (one of <see cref="MediaTypes.Manifests"/>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The digest the registry reported, which is checked to equal sha256 of <paramref name="bytes"/>.</returns>
    /// <exception cref="RegistryException">The reference is a digest other than sha256 of the bytes (nothing is sent); the registry
    /// refused the manifest (e.g. <c>MANIFEST_BLOB_UNKNOWN</c>); or it reported another digest.</exception>
    public async Task<Digest> PutManifestAsync(string repository, string reference, byte[] bytes, string mediaType,
        CancellationToken cancellationToken = default)
    {
        var what = Describe(repository, reference);
        var actual = Digest.Of(bytes);
        if (Digest.TryParse(reference, out var named) && named != actual)
            throw new RegistryException($"put manifest {what}: digest mismatch: the {bytes.Length} bytes hash to {actual}, not to the digest they are pushed as.", what);
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, Url($"v2/{CheckRepository(repository)}/manifests/{reference}"))
            {
                Content = new ByteArrayContent(bytes),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return request;
        }, RequestScope.Push(repository), "put manifest", what, cancellationToken);
        await EnsureSuccessAsync(response, "put manifest", what, cancellationToken);
        var reported = ReportedDigest(response, what);
        if (reported is { } r && r != actual)
            throw new RegistryException($"put manifest {what}: registry {Host} stored it as {r}, but the bytes sent hash to {actual}.", what, response.StatusCode);
        return actual;
    }

    /// <summary>
    /// <c>DELETE /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>. Delete by digest (which removes every tag on it); delete by
    /// tag is not supported by CNCF Distribution 2.x. The registry must have deletes enabled.
    /// </summary>
    /// <exception cref="RegistryException">For example <c>MANIFEST_UNKNOWN</c> (404) or <c>UNSUPPORTED</c> (405, deletes disabled).</exception>
    public async Task DeleteManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        var what = Describe(repository, reference);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, Url($"v2/{CheckRepository(repository)}/manifests/{reference}")),
            RequestScope.Delete(repository), "delete manifest", what, cancellationToken);
        await EnsureSuccessAsync(response, "delete manifest", what, cancellationToken);
    }

    private HttpRequestMessage ManifestRequest(HttpMethod method, string repository, string reference)
    {
        if (string.IsNullOrEmpty(reference) || reference.Contains('/'))
            throw new ArgumentException($"'{reference}' is not a tag or digest.", nameof(reference));
        var request = new HttpRequestMessage(method, Url($"v2/{CheckRepository(repository)}/manifests/{reference}"));
        foreach (var type in MediaTypes.Manifests) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        return request;
    }

    private Digest? ReportedDigest(HttpResponseMessage response, string what)
    {
        if (!response.Headers.TryGetValues("Docker-Content-Digest", out var values)) return null;
        var text = values.First();
        return Digest.TryParse(text, out var d)
            ? d
            : throw new RegistryException($"{what}: registry {Host} reported Docker-Content-Digest '{text}', which is not a sha256 digest.", what, response.StatusCode);
    }

    /// <summary><c>host/repo:tag</c> or <c>host/repo@sha256:...</c>, for messages.</summary>
    private string Describe(string repository, string reference) =>
        $"{Host}/{repository}{(reference.StartsWith(Digest.Sha256Prefix, StringComparison.Ordinal) ? "@" : ":")}{reference}";
}
