using Promoter.Oci;

namespace Promoter.Promotion;

/// <summary>
/// A registry name split into its host and its repository path prefix (<c>specs/cip-formats.md</c> §1
/// "Mapping"): <c>127.0.0.1:5000/k8s-staging/golden-foo</c> is host <c>127.0.0.1:5000</c> and prefix
/// <c>k8s-staging/golden-foo</c>; image <c>foo</c> then lives in repository <c>k8s-staging/golden-foo/foo</c>.
/// </summary>
/// <param name="Host">The registry host and optional port, as <see cref="RegistryHost"/> writes it (names lower-cased).</param>
/// <param name="Prefix">The repository path prefix, without leading or trailing '/'; empty for a bare host.</param>
public sealed record RegistryPath(string Host, string Prefix)
{
    /// <summary>
    /// Splits <paramref name="registryName"/> at its first '/': the host must follow the reference grammar
    /// (<see cref="RegistryHost"/>: no user-info, scheme, query), the prefix the repository-name grammar
    /// (<see cref="RepositoryName"/>).
    /// </summary>
    /// <exception cref="FormatException">The name is empty, its host is not a host[:port], or its prefix is not a repository path;
    /// the message quotes the name with any user-info redacted.</exception>
    public static RegistryPath Parse(string registryName) =>
        TryParse(registryName, out var path, out var error) ? path : throw new FormatException(error);

    /// <summary>As <see cref="Parse"/>, without throwing.</summary>
    /// <param name="registryName">The text to parse.</param>
    /// <param name="path">The path, or null.</param>
    /// <param name="error">Why the text is not a registry name (user-info redacted), or null.</param>
    public static bool TryParse(string? registryName, out RegistryPath path, out string? error)
    {
        path = null!;
        if (string.IsNullOrEmpty(registryName))
        {
            error = "A registry name must not be empty (expected host[:port][/prefix]).";
            return false;
        }
        var slash = registryName.IndexOf('/');
        var hostText = slash < 0 ? registryName : registryName[..slash];
        if (!RegistryHost.TryParse(hostText, out var host, out error))
        {
            error = $"'{RegistryHost.Redact(registryName)}' is not a registry name: {error}";
            return false;
        }
        var prefix = slash < 0 ? "" : registryName[(slash + 1)..];
        if (slash >= 0 && RepositoryName.Problem(prefix) is { } problem)
        {
            error = $"'{registryName}' is not a registry name: its path '{prefix}' is not a repository path ({problem}); expected host[:port][/prefix].";
            return false;
        }
        path = new RegistryPath(host.ToString(), prefix);
        return true;
    }

    /// <summary>The parsed host (for loopback and identity checks).</summary>
    public RegistryHost ParsedHost => RegistryHost.Parse(Host);

    /// <summary>
    /// True when this path and <paramref name="other"/> can name the same repositories: the hosts have one
    /// <see cref="RegistryHost.Identity"/> (every loopback spelling is one host) and one prefix is the other or a parent
    /// of it (path components compared whole: <c>a/b</c> contains <c>a/b/c</c>, not <c>a/bc</c>).
    /// </summary>
    public bool Overlaps(RegistryPath other) => Contains(other) || other.Contains(this);

    /// <summary>
    /// True when every repository under <paramref name="other"/> is under this path: the hosts have one
    /// <see cref="RegistryHost.Identity"/> and this prefix is <paramref name="other"/>'s or a parent of it (whole components).
    /// </summary>
    public bool Contains(RegistryPath other) =>
        ParsedHost.Identity == other.ParsedHost.Identity && IsWithin(other.Prefix, Prefix);

    private static bool IsWithin(string inner, string outer) =>
        outer.Length == 0 || inner == outer || inner.StartsWith(outer + "/", StringComparison.Ordinal);

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
