using System.Collections.Concurrent;
using System.Net;
using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Attachments;

/// <summary>
/// Discovers what refers to a digest in a repository: cosign's tags (SIGNATURE_SPEC.md "Tag-based Discovery") and OCI
/// 1.1 referrers, through <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c> where the registry has it and otherwise
/// through the referrers tag schema (distribution-spec "Referrers Tag Schema"). Whether a registry has the API is learnt
/// from its first answer and remembered (a 404 means it has not: the spec requires a 200 with an empty index).
/// </summary>
/// <remarks>
/// One instance per plan; thread-safe. The tags of each repository asked are listed once (<c>GET tags/list</c>, pages of
/// <see cref="TagPageSize"/>) and kept for the instance's life, so an attachment tag that is not listed costs nothing:
/// a digest with no attachments costs no request of its own on a registry without the referrers API (the repository's
/// listing is shared by all its digests), one referrers GET on a registry with it. A listed tag costs one manifest GET.
/// A registry that refuses to list tags (401, 403, 405, 400, 501) is asked tag by tag instead: one GET per cosign tag and
/// one for the fallback tag, a 404 each when absent.
/// </remarks>
public sealed class AttachmentFinder
{
    private readonly ConcurrentDictionary<string, bool> _hasApi = new(StringComparer.Ordinal);
    /// <summary>Held while a registry's first referrers request is out: the digests asked meanwhile wait for its answer
    /// rather than each probing a registry that may not have the API.</summary>
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _probes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlySet<string>?>>> _tags = new(StringComparer.Ordinal);

    /// <summary>The <c>n</c> of each <c>tags/list</c> page request.</summary>
    public const int TagPageSize = 1000;

    /// <summary>Whether the registry at <paramref name="client"/> answered the referrers API; null while unknown.</summary>
    public bool? HasReferrersApi(RegistryClient client) => _hasApi.TryGetValue(client.BaseAddress.AbsoluteUri, out var has) ? has : null;

    /// <summary>Finds the attachments of <paramref name="subject"/> in <paramref name="repository"/>.</summary>
    /// <exception cref="RegistryException">The registry failed (anything but 200 or 404).</exception>
    /// <exception cref="FormatException">A referrers index is malformed.</exception>
    public async Task<AttachmentSet> FindAsync(RegistryClient client, string repository, Digest subject, CancellationToken cancellationToken = default)
    {
        var listed = await ListedTagsAsync(client, repository, cancellationToken);
        var tagged = await Task.WhenAll(AttachmentTags.CosignKinds.Select(async kind =>
        {
            var tag = AttachmentTags.For(subject, kind);
            if (listed is not null && !listed.Contains(tag)) return null;
            var manifest = await GetIfPresentAsync(client, repository, tag, cancellationToken);
            return manifest is null ? null : new TaggedAttachment(kind, tag, manifest);
        }));
        var (referrers, index, api) = await FindReferrersAsync(client, repository, subject, listed, cancellationToken);
        return new AttachmentSet(subject, tagged.OfType<TaggedAttachment>().ToList(), referrers, index, api);
    }

    /// <summary>Only the referrers of <paramref name="subject"/> (API or fallback), for a destination's view.</summary>
    /// <exception cref="RegistryException">The registry failed.</exception>
    public Task<(IReadOnlyList<ReferrerEntry> Referrers, ManifestContent? Index, bool HasApi)> FindReferrersAsync(
        RegistryClient client, string repository, Digest subject, CancellationToken cancellationToken = default) =>
        FindReferrersAsync(client, repository, subject, listed: null, cancellationToken);

    private async Task<(IReadOnlyList<ReferrerEntry> Referrers, ManifestContent? Index, bool HasApi)> FindReferrersAsync(
        RegistryClient client, string repository, Digest subject, IReadOnlySet<string>? listed, CancellationToken cancellationToken)
    {
        var key = client.BaseAddress.AbsoluteUri;
        if (!_hasApi.TryGetValue(key, out var hasApi))
        {
            var probe = _probes.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
            await probe.WaitAsync(cancellationToken);
            try
            {
                if (!_hasApi.TryGetValue(key, out hasApi))
                {
                    var first = await client.GetReferrersAsync(repository, subject, cancellationToken);
                    _hasApi[key] = first is not null;
                    if (first is not null)
                        return (AttachmentManifests.ReadIndex(first, $"{client.Host}/{repository} referrers of {subject}"), null, true);
                    hasApi = false;
                }
            }
            finally
            {
                probe.Release();
            }
        }
        if (hasApi)
        {
            // A registry with the API answers 404 only for a repository it does not have (nothing refers to anything there).
            var answer = await client.GetReferrersAsync(repository, subject, cancellationToken);
            return answer is null ? ([], null, true) : (AttachmentManifests.ReadIndex(answer, $"{client.Host}/{repository} referrers of {subject}"), null, true);
        }
        var tag = AttachmentTags.For(subject, AttachmentKind.ReferrersIndex);
        if (listed is not null && !listed.Contains(tag)) return ([], null, false);
        var index = await GetIfPresentAsync(client, repository, tag, cancellationToken);
        return index is null ? ([], null, false) : (AttachmentManifests.ReadIndex(index, $"{client.Host}/{repository}:{tag}"), index, false);
    }

    /// <summary>
    /// Every tag of <paramref name="repository"/>, listed once per instance; empty when the repository has none (404
    /// <c>NAME_UNKNOWN</c>); null when the registry refuses to list tags (then each tag is asked for by name).
    /// </summary>
    /// <exception cref="RegistryException">The listing failed otherwise (5xx after retries, a refused connection).</exception>
    private Task<IReadOnlySet<string>?> ListedTagsAsync(RegistryClient client, string repository, CancellationToken cancellationToken) =>
        _tags.GetOrAdd($"{client.BaseAddress.AbsoluteUri} {repository}", _ => new Lazy<Task<IReadOnlySet<string>?>>(async () =>
        {
            try
            {
                return await client.ListTagsOrEmptyAsync(repository, TagPageSize, cancellationToken);
            }
            catch (RegistryException e) when (e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                                                  or HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest or HttpStatusCode.NotImplemented)
            {
                return null;
            }
        })).Value;

    /// <summary>The manifest a tag names, or null on 404 (<c>MANIFEST_UNKNOWN</c> or <c>NAME_UNKNOWN</c>).</summary>
    /// <exception cref="RegistryException">Any other failure.</exception>
    public static async Task<ManifestContent?> GetIfPresentAsync(RegistryClient client, string repository, string reference,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await client.GetManifestAsync(repository, reference, cancellationToken);
        }
        catch (RegistryException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
