using System.Collections.Concurrent;
using System.Net;
using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Attachments;

/// <summary>A cosign attachment found under its tag.</summary>
/// <param name="Kind">Signature, attestation or SBOM.</param>
/// <param name="Tag">The tag, e.g. <c>sha256-ab12….sig</c>.</param>
/// <param name="Manifest">The manifest the tag names, exactly as served.</param>
public sealed record TaggedAttachment(AttachmentKind Kind, string Tag, ManifestContent Manifest);

/// <summary>What refers to one digest in one repository.</summary>
/// <param name="Subject">The digest the attachments are about.</param>
/// <param name="Tagged">The cosign tags found (<c>.sig</c>, <c>.att</c>, <c>.sbom</c>), in that order.</param>
/// <param name="Referrers">The manifests whose <c>subject</c> is the digest (from the referrers API, else the fallback tag).</param>
/// <param name="ReferrersIndex">The <c>sha256-&lt;hex&gt;</c> fallback index as stored, or null (none, or the registry has the API).</param>
/// <param name="HasReferrersApi">Whether the registry answered the referrers API (then no fallback tag is kept there).</param>
public sealed record AttachmentSet(Digest Subject, IReadOnlyList<TaggedAttachment> Tagged, IReadOnlyList<ReferrerEntry> Referrers,
    ManifestContent? ReferrersIndex, bool HasReferrersApi)
{
    /// <summary>True when nothing refers to the digest.</summary>
    public bool IsEmpty => Tagged.Count == 0 && Referrers.Count == 0;

    /// <summary>The tagged attachment of <paramref name="kind"/>, or null.</summary>
    public TaggedAttachment? Get(AttachmentKind kind) => Tagged.FirstOrDefault(t => t.Kind == kind);
}

/// <summary>
/// Discovers what refers to a digest in a repository: cosign's tags (SIGNATURE_SPEC.md "Tag-based Discovery") and OCI
/// 1.1 referrers, through <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c> where the registry has it and otherwise
/// through the referrers tag schema (distribution-spec "Referrers Tag Schema"). Whether a registry has the API is learnt
/// from its first answer and remembered (a 404 means it has not: the spec requires a 200 with an empty index).
/// One instance per run; thread-safe. Costs per digest: 3 GETs (one per cosign tag; a 404 each when absent) plus the
/// referrers API GET (first digest per registry only when it has no API) or the fallback tag's GET.
/// </summary>
public sealed class AttachmentFinder
{
    private readonly ConcurrentDictionary<string, bool> _hasApi = new(StringComparer.Ordinal);

    /// <summary>Whether the registry at <paramref name="client"/> answered the referrers API; null while unknown.</summary>
    public bool? HasReferrersApi(RegistryClient client) => _hasApi.TryGetValue(client.BaseAddress.AbsoluteUri, out var has) ? has : null;

    /// <summary>Finds the attachments of <paramref name="subject"/> in <paramref name="repository"/>.</summary>
    /// <exception cref="RegistryException">The registry failed (anything but 200 or 404).</exception>
    /// <exception cref="FormatException">A referrers index is malformed.</exception>
    public async Task<AttachmentSet> FindAsync(RegistryClient client, string repository, Digest subject, CancellationToken cancellationToken = default)
    {
        var tagged = await Task.WhenAll(AttachmentTags.CosignKinds.Select(async kind =>
        {
            var tag = AttachmentTags.For(subject, kind);
            var manifest = await GetIfPresentAsync(client, repository, tag, cancellationToken);
            return manifest is null ? null : new TaggedAttachment(kind, tag, manifest);
        }));
        var (referrers, index, api) = await FindReferrersAsync(client, repository, subject, cancellationToken);
        return new AttachmentSet(subject, tagged.OfType<TaggedAttachment>().ToList(), referrers, index, api);
    }

    /// <summary>Only the referrers of <paramref name="subject"/> (API or fallback), for a destination's view.</summary>
    /// <exception cref="RegistryException">The registry failed.</exception>
    public async Task<(IReadOnlyList<ReferrerEntry> Referrers, ManifestContent? Index, bool HasApi)> FindReferrersAsync(
        RegistryClient client, string repository, Digest subject, CancellationToken cancellationToken = default)
    {
        var key = client.BaseAddress.AbsoluteUri;
        if (!_hasApi.TryGetValue(key, out var hasApi) || hasApi)
        {
            var listed = await client.GetReferrersAsync(repository, subject, cancellationToken);
            _hasApi[key] = listed is not null;
            if (listed is not null)
                return (AttachmentManifests.ReadIndex(listed, $"{client.Host}/{repository} referrers of {subject}"), null, true);
        }
        var tag = AttachmentTags.For(subject, AttachmentKind.ReferrersIndex);
        var index = await GetIfPresentAsync(client, repository, tag, cancellationToken);
        return index is null ? ([], null, false) : (AttachmentManifests.ReadIndex(index, $"{client.Host}/{repository}:{tag}"), index, false);
    }

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
