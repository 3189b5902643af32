using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.PullRequests;

/// <summary>
/// Resolves tags (or digests) to the digests of a staging repository through the run's <see cref="RegistryPool"/> (its
/// credentials, rate limits and retries), as kpromo's manifest grower reads the staging repository: every image below
/// the repository (the registry's catalog) unless images are named, HEAD requests for each tag.
/// </summary>
public static class StagingResolver
{
    /// <summary>kpromo's grower never promotes this tag (an anti-pattern it refuses as a filter).</summary>
    public const string Latest = "latest";

    /// <summary>Looks the query up; one <see cref="StagedImage"/> per (image, digest) found, ordered by image name and digest.</summary>
    /// <param name="pool">The run's registry clients.</param>
    /// <param name="query">What to look up.</param>
    /// <param name="log">Receives one line per image resolved.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <exception cref="PullRequestInputException">Nothing matched; a named image lacks a tag or digest; a digest matched nothing.</exception>
    /// <exception cref="RegistryException">The registry refused or failed.</exception>
    /// <exception cref="FormatException">The repository name, a tag or a digest is malformed.</exception>
    public static async Task<IReadOnlyList<StagedImage>> ResolveAsync(RegistryPool pool, StagingQuery query, Action<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        var staging = RegistryPath.Parse(query.StagingRepository);
        foreach (var tag in query.Tags)
        {
            if (!ImageReference.IsValidTag(tag)) throw new FormatException($"'{tag}' is not a tag.");
            if (tag == Latest) throw new FormatException($"tag '{Latest}' is never promoted (kpromo refuses it too); name the version tag.");
        }
        var digests = query.Digests.Select(d => Digest.Parse(d).Value).ToList();
        if (query.Tags.Count == 0 && digests.Count == 0) throw new FormatException("give at least one tag or digest to promote.");
        if (query.Tags.Count == 0 && query.Images.Count == 0) throw new FormatException("promoting digests without tags needs the images they belong to (--image).");

        var client = pool.For(staging.Host);
        var named = query.Images.Count > 0;
        var images = named ? query.Images.Distinct(StringComparer.Ordinal).ToList() : await ListImagesAsync(client, staging, cancellationToken);

        var found = new List<StagedImage>();
        foreach (var image in images.Order(StringComparer.Ordinal))
        {
            var repository = staging.RepositoryFor(image);
            if (query.Tags.Count > 0)
            {
                var byDigest = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                foreach (var tag in query.Tags.Distinct(StringComparer.Ordinal))
                {
                    var info = await client.HeadManifestAsync(repository, tag, cancellationToken);
                    if (info is null)
                    {
                        if (named) throw new PullRequestInputException($"{staging}/{image} has no tag '{tag}'.");
                        continue;
                    }
                    if (digests.Count > 0 && !digests.Contains(info.Digest.Value)) continue;
                    (byDigest.TryGetValue(info.Digest.Value, out var tags) ? tags : byDigest[info.Digest.Value] = []).Add(tag);
                }
                found.AddRange(byDigest.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new StagedImage(image, p.Key, p.Value)));
            }
            else
            {
                var tagsOf = await TagsByDigestAsync(client, repository, cancellationToken);
                foreach (var digest in digests.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    if (await client.HeadManifestAsync(repository, digest, cancellationToken) is null)
                        throw new PullRequestInputException($"{staging}/{image} has no manifest {digest}.");
                    found.Add(new StagedImage(image, digest, tagsOf.TryGetValue(digest, out var tags) ? tags.Order(StringComparer.Ordinal).ToList() : []));
                }
            }
        }
        foreach (var image in found) log?.Invoke($"staging: {staging}/{image.Image}@{image.Digest}" + (image.Tags.Count > 0 ? $" ({string.Join(", ", image.Tags)})" : " (by digest)"));

        if (found.Count == 0)
            throw new PullRequestInputException($"no image of {staging} has " +
                (query.Tags.Count > 0 ? $"tag(s) {string.Join(", ", query.Tags)}" : "those digests") +
                (digests.Count > 0 && query.Tags.Count > 0 ? $" on digest(s) {string.Join(", ", digests)}" : "") + ".");
        var unmatched = digests.Where(d => found.All(f => f.Digest != d)).ToList();
        if (unmatched.Count > 0)
            throw new PullRequestInputException($"no image of {staging} has " +
                (query.Tags.Count > 0 ? $"tag(s) {string.Join(", ", query.Tags)} on " : "") + $"digest(s) {string.Join(", ", unmatched)}.");
        return found;
    }

    /// <summary>The images below the staging repository's prefix, from the registry's catalog.</summary>
    private static async Task<List<string>> ListImagesAsync(RegistryClient client, RegistryPath staging, CancellationToken cancellationToken)
    {
        var repositories = await client.ListRepositoriesAsync(cancellationToken: cancellationToken);
        var prefix = staging.Prefix.Length == 0 ? "" : staging.Prefix + "/";
        return repositories.Where(r => r.StartsWith(prefix, StringComparison.Ordinal) && r.Length > prefix.Length)
            .Select(r => r[prefix.Length..]).ToList();
    }

    /// <summary>Every tag of the repository by the digest it points at, leaving out <c>latest</c> and cosign's <c>sha256-*</c> tags.</summary>
    private static async Task<Dictionary<string, List<string>>> TagsByDigestAsync(RegistryClient client, string repository, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var tag in (await client.ListTagsOrEmptyAsync(repository, cancellationToken: cancellationToken)).Order(StringComparer.Ordinal))
        {
            if (tag == Latest || tag.StartsWith("sha256-", StringComparison.Ordinal)) continue;
            if (await client.HeadManifestAsync(repository, tag, cancellationToken) is not { } info) continue;
            (result.TryGetValue(info.Digest.Value, out var tags) ? tags : result[info.Digest.Value] = []).Add(tag);
        }
        return result;
    }
}
