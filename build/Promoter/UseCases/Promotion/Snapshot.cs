using System.Text;
using Promoter.Inputs;
using Promoter.Yaml;

namespace Promoter.Promotion;

/// <summary>
/// The contents of a registry as <c>cip run --snapshot</c> prints it (<c>manifests/README.md</c> §3): a list
/// of images, each with digest → tags. Image names are relative to the snapshotted registry name.
/// </summary>
/// <param name="Images">The images, in list order.</param>
public sealed record Snapshot(IReadOnlyList<ImageEntry> Images)
{
    /// <summary>An empty snapshot (an empty registry).</summary>
    public static Snapshot Empty { get; } = new([]);

    /// <summary>
    /// The same contents sorted by byte (ordinal) order: images by name, digests by digest string, tags by plain
    /// string order (<c>1.10</c> before <c>1.9</c>). Locations are kept.
    /// </summary>
    public Snapshot Sorted() =>
        new(Images
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .Select(i => i with
            {
                Dmap = i.Dmap
                    .OrderBy(d => d.Digest, StringComparer.Ordinal)
                    .Select(d => d with { Tags = d.Tags.Order(StringComparer.Ordinal).ToList() })
                    .ToList(),
            })
            .ToList());

    /// <summary>
    /// Writes the hand-written snapshot text of §3, sorted as <see cref="Sorted"/> does:
    /// <code>
    /// - name: foo
    ///   dmap:
    ///     "sha256:…": ["1.0", "latest"]
    ///     "sha256:…": []
    /// </code>
    /// Every line, the last included, ends with <c>\n</c>; an empty snapshot is the empty string. This is the
    /// 06672f51 output. HEAD prints one more <c>\n</c> after it: pass <paramref name="extraFinalNewline"/> to get that.
    /// Digests and tags are written as double-quoted strings (with <c>\</c> and <c>"</c> escaped); names are written plain.
    /// </summary>
    /// <param name="extraFinalNewline">Append one more <c>\n</c>, as HEAD does (also for an empty snapshot).</param>
    /// <returns>The text, using <c>\n</c> line endings.</returns>
    public string ToText(bool extraFinalNewline = false)
    {
        var b = new StringBuilder();
        foreach (var image in Sorted().Images)
        {
            b.Append("- name: ").Append(image.Name).Append('\n');
            b.Append("  dmap:\n");
            foreach (var entry in image.Dmap)
            {
                b.Append("    ").Append(Quote(entry.Digest)).Append(": [");
                b.Append(string.Join(", ", entry.Tags.Select(Quote)));
                b.Append("]\n");
            }
        }
        if (extraFinalNewline)
            b.Append('\n');
        return b.ToString();
    }

    /// <summary>
    /// kpromo's CSV snapshot (<c>--output=csv</c>), sorted as <see cref="Sorted"/>: one line per tag,
    /// <c>name@digest,name:tag</c>, and <c>name@digest,-</c> for a tagless digest; every line ends with <c>\n</c>.
    /// </summary>
    public string ToCsv()
    {
        var b = new StringBuilder();
        foreach (var image in Sorted().Images)
        {
            foreach (var entry in image.Dmap)
            {
                if (entry.Tags.Count == 0) b.Append(image.Name).Append('@').Append(entry.Digest).Append(",-\n");
                foreach (var tag in entry.Tags)
                    b.Append(image.Name).Append('@').Append(entry.Digest).Append(',').Append(image.Name).Append(':').Append(tag).Append('\n');
            }
        }
        return b.ToString();
    }

    /// <summary>
    /// Only the digests carrying <paramref name="tag"/>, each listed with that tag alone (kpromo's <c>--snapshot-tag</c>);
    /// images left without a digest are dropped.
    /// </summary>
    public Snapshot WithTag(string tag) =>
        new(Images
            .Select(i => i with
            {
                Dmap = i.Dmap.Where(d => d.Tags.Contains(tag, StringComparer.Ordinal)).Select(d => d with { Tags = [tag] }).ToList(),
            })
            .Where(i => i.Dmap.Count > 0)
            .ToList());

    /// <summary>
    /// Without the tagless digests in <paramref name="children"/> (children of manifest lists: kpromo's
    /// <c>--minimal-snapshot</c>); images left without a digest are dropped.
    /// </summary>
    public Snapshot WithoutTaglessChildren(IReadOnlySet<string> children) =>
        new(Images
            .Select(i => i with { Dmap = i.Dmap.Where(d => d.Tags.Count > 0 || !children.Contains(d.Digest)).ToList() })
            .Where(i => i.Dmap.Count > 0)
            .ToList());

    /// <summary>
    /// What <paramref name="registryName"/> holds after promoting <paramref name="edges"/> into it empty, from the edges
    /// alone (kpromo's <c>--manifest-based-snapshot-of</c>): every edge whose destination registry is that name, as image,
    /// digest and tags (a tagless edge gives <c>[]</c>); no registry is read. Sorted as <see cref="Sorted"/>.
    /// </summary>
    public static Snapshot FromEdges(IEnumerable<PromotionEdge> edges, string registryName)
    {
        var images = new SortedDictionary<string, SortedDictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        foreach (var edge in edges.Where(e => string.Equals(e.DestinationRegistry.TrimEnd('/'), registryName.TrimEnd('/'), StringComparison.Ordinal)))
        {
            if (!images.TryGetValue(edge.DestinationImage, out var dmap)) images[edge.DestinationImage] = dmap = new(StringComparer.Ordinal);
            if (!dmap.TryGetValue(edge.Digest, out var tags)) dmap[edge.Digest] = tags = new(StringComparer.Ordinal);
            if (edge.Tag is not null) tags.Add(edge.Tag);
        }
        return new Snapshot(images.Select(i => new ImageEntry(i.Key, i.Value.Select(d => new DigestTags(d.Key, d.Value.ToList())).ToList())).ToList());
    }

    /// <summary>
    /// Reads snapshot text (any valid <c>images.yaml</c>: a YAML list of <c>{name, dmap}</c>), strictly, with the
    /// digest and tag patterns checked. List and tag order are kept as written.
    /// </summary>
    /// <param name="text">The text; empty or whitespace-only text is an empty snapshot.</param>
    /// <param name="file">The name to put in errors.</param>
    /// <exception cref="InputFormatException">Invalid YAML, unknown or duplicate keys, or an invalid digest or tag (with file, line, field).</exception>
    public static Snapshot Parse(string text, string file) => new(ManifestReader.ParseImages(text, file));

    /// <summary>Reads a snapshot file; see <see cref="Parse"/>.</summary>
    /// <exception cref="InputFormatException">See <see cref="Parse"/>.</exception>
    /// <exception cref="InputFileException">The file is missing, not a regular file, over <see cref="InputFile.MaxTextBytes"/>, or unreadable.</exception>
    public static Snapshot Load(string path) => Parse(InputFile.ReadAllText(path), path);

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
