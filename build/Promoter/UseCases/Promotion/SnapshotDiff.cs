namespace Promoter.Promotion;

/// <summary>
/// The differences between an expected and an actual snapshot, compared the way the e2e driver does
/// (<c>manifests/README.md</c> §4): image list order and tag order matter, digest order does not.
/// </summary>
/// <param name="Lines">One readable line per difference; empty when the snapshots match.</param>
public sealed record SnapshotDiff(IReadOnlyList<string> Lines)
{
    /// <summary>True when the snapshots match.</summary>
    public bool IsEmpty => Lines.Count == 0;

    /// <summary>
    /// Compares <paramref name="expected"/> with <paramref name="actual"/>. Reports, per image name: images
    /// missing or extra, digests missing or extra, and digests whose tag lists differ (contents or order); and
    /// the image order when the same names appear in another order. An image name listed twice is reported too.
    /// </summary>
    public static SnapshotDiff Compare(Snapshot expected, Snapshot actual)
    {
        var lines = new List<string>();
        var want = Index(expected, "expected", lines);
        var got = Index(actual, "actual", lines);
        foreach (var (name, wantDmap) in want)
        {
            if (!got.TryGetValue(name, out var gotDmap))
            {
                lines.Add($"missing image {name} ({wantDmap.Count} digest(s) expected)");
                continue;
            }
            foreach (var (digest, wantTags) in wantDmap)
            {
                if (!gotDmap.TryGetValue(digest, out var gotTags))
                    lines.Add($"{name}: missing digest {digest} {Tags(wantTags)}");
                else if (!wantTags.SequenceEqual(gotTags, StringComparer.Ordinal))
                    lines.Add($"{name}: {digest}: tags differ: expected {Tags(wantTags)}, actual {Tags(gotTags)}");
            }
            foreach (var (digest, gotTags) in gotDmap)
            {
                if (!wantDmap.ContainsKey(digest))
                    lines.Add($"{name}: extra digest {digest} {Tags(gotTags)}");
            }
        }
        foreach (var (name, gotDmap) in got)
        {
            if (!want.ContainsKey(name))
                lines.Add($"extra image {name} ({gotDmap.Count} digest(s))");
        }
        var wantOrder = expected.Images.Select(i => i.Name).Where(got.ContainsKey).ToList();
        var gotOrder = actual.Images.Select(i => i.Name).Where(want.ContainsKey).ToList();
        if (!wantOrder.SequenceEqual(gotOrder, StringComparer.Ordinal))
            lines.Add($"image order differs: expected [{string.Join(", ", wantOrder)}], actual [{string.Join(", ", gotOrder)}]");
        return new SnapshotDiff(lines);
    }

    /// <summary>The lines joined with <c>\n</c>, or "snapshots match".</summary>
    public override string ToString() => IsEmpty ? "snapshots match" : string.Join("\n", Lines);

    private static Dictionary<string, Dictionary<string, IReadOnlyList<string>>> Index(Snapshot snapshot, string side, List<string> lines)
    {
        var result = new Dictionary<string, Dictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
        foreach (var image in snapshot.Images)
        {
            if (!result.TryAdd(image.Name, new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)))
            {
                lines.Add($"{side} snapshot lists image {image.Name} more than once");
                continue;
            }
            foreach (var entry in image.Dmap)
                result[image.Name][entry.Digest] = entry.Tags;
        }
        return result;
    }

    private static string Tags(IReadOnlyList<string> tags) => "[" + string.Join(", ", tags.Select(t => $"\"{t}\"")) + "]";
}
