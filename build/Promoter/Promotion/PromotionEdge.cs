using Promoter.Oci;

namespace Promoter.Promotion;

/// <summary>
/// A registry name split into its host and its repository path prefix (<c>specs/cip-formats.md</c> §1
/// "Mapping"): <c>127.0.0.1:5000/k8s-staging/golden-foo</c> is host <c>127.0.0.1:5000</c> and prefix
/// <c>k8s-staging/golden-foo</c>; image <c>foo</c> then lives in repository <c>k8s-staging/golden-foo/foo</c>.
/// </summary>
/// <param name="Host">The registry host and optional port.</param>
/// <param name="Prefix">The repository path prefix, without leading or trailing '/'; empty for a bare host.</param>
public sealed record RegistryPath(string Host, string Prefix)
{
    /// <summary>Splits <paramref name="registryName"/> at its first '/'.</summary>
    /// <exception cref="FormatException">The name is empty, starts or ends with '/', or has an empty path component.</exception>
    public static RegistryPath Parse(string registryName)
    {
        if (string.IsNullOrEmpty(registryName))
            throw new FormatException("A registry name must not be empty (expected host[:port][/prefix]).");
        var parts = registryName.Split('/');
        if (parts.Any(p => p.Length == 0))
            throw new FormatException($"'{registryName}' is not a registry name: expected host[:port][/prefix] without empty path components.");
        return new RegistryPath(parts[0], string.Join('/', parts.Skip(1)));
    }

    /// <summary>The repository of <paramref name="image"/> under this registry: <c>Prefix/image</c>, or <c>image</c> for a bare host.</summary>
    public string RepositoryFor(string image) => Prefix.Length == 0 ? image : $"{Prefix}/{image}";

    /// <summary>A reference to <paramref name="image"/> in this registry, with a tag and/or digest.</summary>
    public ImageReference ReferenceFor(string image, string? tag = null, Digest? digest = null) =>
        new(Host, RepositoryFor(image), tag, digest);

    /// <inheritdoc />
    public override string ToString() => Prefix.Length == 0 ? Host : $"{Host}/{Prefix}";
}

/// <summary>
/// One promotion (<c>specs/cip-formats.md</c> §1 "Cross-edge checks"): copy
/// <c>&lt;SourceRegistry&gt;/&lt;SourceImage&gt;@&lt;Digest&gt;</c> to
/// <c>&lt;DestinationRegistry&gt;/&lt;DestinationImage&gt;:&lt;Tag&gt;</c>, or by digest only when <see cref="Tag"/> is null.
/// Equality is by value over all six fields.
/// </summary>
/// <param name="SourceRegistry">The source registry name (with its path prefix).</param>
/// <param name="SourceImage">The image name under the source registry.</param>
/// <param name="Digest">The digest text being promoted.</param>
/// <param name="DestinationRegistry">The destination registry name (with its path prefix).</param>
/// <param name="DestinationImage">The image name under the destination registry (the same as the source: there are no renames).</param>
/// <param name="Tag">The tag to set in the destination, or null for a tagless (digest-only) promotion.</param>
public sealed record PromotionEdge(
    string SourceRegistry,
    string SourceImage,
    string Digest,
    string DestinationRegistry,
    string DestinationImage,
    string? Tag)
{
    /// <summary>The source as a reference by digest, e.g. <c>gcr.io/stg/golden-foo/foo@sha256:…</c>.</summary>
    /// <exception cref="FormatException">A registry name or the digest is malformed.</exception>
    public ImageReference SourceReference() =>
        RegistryPath.Parse(SourceRegistry).ReferenceFor(SourceImage, digest: Oci.Digest.Parse(Digest));

    /// <summary>The destination as a reference: by tag, or by digest when tagless.</summary>
    /// <exception cref="FormatException">A registry name or the digest is malformed.</exception>
    public ImageReference DestinationReference() =>
        Tag is null
            ? RegistryPath.Parse(DestinationRegistry).ReferenceFor(DestinationImage, digest: Oci.Digest.Parse(Digest))
            : RegistryPath.Parse(DestinationRegistry).ReferenceFor(DestinationImage, tag: Tag);

    /// <summary><c>src/img@digest -> dst/img:tag</c> (or <c>dst/img@digest</c>).</summary>
    public override string ToString() =>
        $"{SourceRegistry}/{SourceImage}@{Digest} -> {DestinationRegistry}/{DestinationImage}" + (Tag is null ? $"@{Digest}" : $":{Tag}");
}

/// <summary>Turns manifests into promotion edges and runs the cross-edge checks (<c>specs/cip-formats.md</c> §1).</summary>
public static class PromotionEdges
{
    /// <summary>
    /// Computes the edges of all <paramref name="manifests"/> together: for every image, digest, tag (or none)
    /// and destination registry (every registry but the manifest's source), one edge. Identical edges are
    /// kept once. Tagged edges are grouped by destination <c>reg/image:tag</c>: several with the same digest are
    /// redundant (the first is kept); several with different digests are an error. Tagless edges are not grouped.
    /// </summary>
    /// <returns>The edges, in the order first met.</returns>
    /// <exception cref="ManifestException">"overlapping edges detected": one error per destination tag claimed by
    /// different digests, listing each digest with the file, line and field it came from.</exception>
    public static IReadOnlyList<PromotionEdge> FromManifests(IEnumerable<PromoterManifest> manifests)
    {
        var edges = new List<PromotionEdge>();
        var seen = new HashSet<PromotionEdge>();
        var origins = new Dictionary<PromotionEdge, DigestTags>();
        foreach (var manifest in manifests)
        {
            var source = manifest.Source;
            var destinations = manifest.Destinations;
            foreach (var image in manifest.Images)
            {
                foreach (var entry in image.Dmap)
                {
                    foreach (var destination in destinations)
                    {
                        var tags = entry.IsTagless ? new string?[] { null } : entry.Tags.Select(t => (string?)t);
                        foreach (var tag in tags)
                        {
                            var edge = new PromotionEdge(source.Name, image.Name, entry.Digest, destination.Name, image.Name, tag);
                            if (seen.Add(edge))
                            {
                                edges.Add(edge);
                                origins[edge] = entry;
                            }
                        }
                    }
                }
            }
        }

        var result = new List<PromotionEdge>();
        var errors = new List<ManifestError>();
        var groups = edges.Where(e => e.Tag is not null)
            .GroupBy(e => (e.DestinationRegistry, e.DestinationImage, e.Tag))
            .ToDictionary(g => g.Key, g => g.ToList());
        var emitted = new HashSet<(string, string, string?)>();
        foreach (var edge in edges)
        {
            if (edge.Tag is null)
            {
                result.Add(edge);
                continue;
            }
            var key = (edge.DestinationRegistry, edge.DestinationImage, edge.Tag);
            if (!emitted.Add(key))
                continue;
            var group = groups[key];
            var byDigest = group.GroupBy(e => e.Digest, StringComparer.Ordinal).ToList();
            if (byDigest.Count == 1)
            {
                result.Add(edge);
                continue;
            }
            var claims = byDigest.Select(g => $"{g.Key} ({Describe(origins[g.First()])})");
            var first = origins[byDigest[0].First()].Location;
            var message = $"overlapping edges detected: {edge.DestinationRegistry}/{edge.DestinationImage}:{edge.Tag} is claimed by {string.Join(" and by ", claims)}";
            errors.Add(first is { } at ? new ManifestError(at, message) : new ManifestError(new SourceLocation("(manifests)", 1, ""), message));
        }
        if (errors.Count > 0)
            throw new ManifestException(errors);
        return result;
    }

    private static string Describe(DigestTags entry) =>
        entry.Location is { } at ? $"{at.File}:{at.Line} {at.Field}" : "unknown location";
}
