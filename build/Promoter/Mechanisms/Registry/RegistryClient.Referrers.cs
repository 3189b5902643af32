using System.Net;
using System.Net.Http.Headers;
using Promoter.Oci;

namespace Promoter.Registry;

public sealed partial class RegistryClient
{
    /// <summary>
    /// <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c> (OCI distribution spec 1.1, "Listing Referrers"): the OCI
    /// index of every manifest whose <c>subject</c> is <paramref name="subject"/>, exactly as served. A registry that
    /// implements the API answers 200 (an empty index when nothing refers to the digest); 404 means it does not
    /// implement it (CNCF Distribution 2.8), and the caller falls back to the referrers tag schema
    /// (<c>sha256-&lt;hex&gt;</c>).
    /// </summary>
    /// <param name="repository">The repository path.</param>
    /// <param name="subject">The digest referred to.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The index bytes (media type and sha256 of the bytes), or null when the registry answers 404.</returns>
    /// <exception cref="RegistryException">Any answer but 200 or 404.</exception>
    public async Task<ManifestContent?> GetReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken = default)
    {
        var what = $"{Host}/{repository}@{subject} (referrers)";
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, Url($"v2/{CheckRepository(repository)}/referrers/{subject.Value}"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
            return request;
        }, RequestScope.Pull(repository), "list referrers of", what, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, "list referrers of", what, cancellationToken);
        var bytes = await ReadBodyAsync(response, "list referrers of", what, cancellationToken, maxBytes: 4 * 1024 * 1024);
        return new ManifestContent(bytes, response.Content.Headers.ContentType?.MediaType ?? MediaTypes.OciIndex, Digest.Of(bytes));
    }
}
