using Promoter.Yaml;

namespace Promoter.Promotion;

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
