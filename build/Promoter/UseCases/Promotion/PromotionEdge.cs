using Promoter.Oci;
using Promoter.Registry;
using Promoter.Yaml;

namespace Promoter.Promotion;

/// <summary>
/// One promotion (<c>manifests/README.md</c> §1 "Cross-edge checks"): copy
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

/// <summary>Turns manifests into promotion edges and runs the cross-edge checks (<c>manifests/README.md</c> §1).</summary>
public static class PromotionEdges
{
    /// <summary>
    /// Computes the edges of all <paramref name="manifests"/> together: for every image, digest, tag (or none)
    /// and destination registry (every registry but the manifest's source), one edge. Identical edges are
    /// kept once. Tagged edges are grouped by destination <c>reg/image:tag</c>: several with the same digest are
    /// redundant (the first is kept); several with different digests are an error. Tagless edges are not grouped.
    /// </summary>
    /// <param name="manifests">The manifests, in load order.</param>
    /// <param name="overlaps">Null (the default, upstream's rule): overlapping edges fail the load. Otherwise
    /// (<c>--isolate-edges</c>) each error line goes to it, and the edges of every overlapping destination tag are all kept
    /// (one per digest), for the planner to refuse each of them (<see cref="Engine.EdgeDecision.RefusedOverlap"/>).</param>
    /// <returns>The edges, in the order first met.</returns>
    /// <exception cref="InputFormatException">"overlapping edges detected": one error per destination tag claimed by
    /// different digests, listing each digest with the file, line and field it came from.</exception>
    public static IReadOnlyList<PromotionEdge> FromManifests(IEnumerable<PromoterManifest> manifests, Action<string>? overlaps = null)
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
            if (overlaps is not null)
            {
                overlaps(message);
                result.AddRange(byDigest.Select(g => g.First()));
                continue;
            }
            errors.Add(first is { } at ? new ManifestError(at, message) : new ManifestError(new SourceLocation("(manifests)", 1, ""), message));
        }
        if (errors.Count > 0)
            throw new InputFormatException(errors);
        return result;
    }

    private static string Describe(DigestTags entry) =>
        entry.Location is { } at ? $"{at.File}:{at.Line} {at.Field}" : "unknown location";
}
