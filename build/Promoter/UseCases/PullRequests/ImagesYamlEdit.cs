using System.Text;
using System.Text.RegularExpressions;
using Promoter.Promotion;

namespace Promoter.PullRequests;

/// <summary>
/// Adds staged images to a thin manifest's <c>images.yaml</c> in kpromo's layout (images sorted by name, each
/// <c>dmap</c> by digest, each tag list sorted) as a text edit: a new image is a new block, a new digest a new
/// <c>"digest": ["tag"]</c> line, a new tag is inserted into its digest's line; every other byte of the file stays as it
/// was (comments, quoting, the separators of existing tag lists, the line endings). In a file that is not sorted, an entry
/// goes before the first one that sorts after it. The file is read with the project's strict reader first, and the
/// edited text is read again and must hold exactly the old entries plus the added ones.
/// </summary>
public static partial class ImagesYamlEdit
{
    /// <summary>
    /// What a pull request does with each entry of <paramref name="wanted"/> given the entries of the file: a tag the file
    /// already has on the same digest (or a tagless digest it already lists) is already present; a tag the file (or an
    /// earlier entry of <paramref name="wanted"/>) has on another digest of that image is a refused tag move; anything
    /// else is added.
    /// </summary>
    /// <param name="existing">The images of the file (an image listed twice counts with every entry).</param>
    /// <param name="wanted">What the pull request asks for.</param>
    /// <returns>One decision per tag asked for, or one per tagless entry, in the order asked.</returns>
    public static IReadOnlyList<EntryDecision> Decide(IReadOnlyList<ImageEntry> existing, IReadOnlyList<StagedImage> wanted)
    {
        var tags = new Dictionary<(string Image, string Tag), string>();
        var digests = new HashSet<(string Image, string Digest)>();
        foreach (var image in existing)
            foreach (var entry in image.Dmap)
            {
                digests.Add((image.Name, entry.Digest));
                foreach (var tag in entry.Tags) tags.TryAdd((image.Name, tag), entry.Digest);
            }

        var decisions = new List<EntryDecision>();
        foreach (var staged in wanted)
        {
            if (staged.Tags.Count == 0)
            {
                var present = !digests.Add((staged.Image, staged.Digest));
                decisions.Add(new EntryDecision(staged.Image, staged.Digest, null, present ? EntryDecisionKind.AlreadyPresent : EntryDecisionKind.Add));
                continue;
            }
            foreach (var tag in staged.Tags)
            {
                if (tags.TryGetValue((staged.Image, tag), out var digest))
                {
                    decisions.Add(digest == staged.Digest
                        ? new EntryDecision(staged.Image, staged.Digest, tag, EntryDecisionKind.AlreadyPresent)
                        : new EntryDecision(staged.Image, staged.Digest, tag, EntryDecisionKind.RefusedTagMove, digest));
                    continue;
                }
                tags[(staged.Image, tag)] = staged.Digest;
                digests.Add((staged.Image, staged.Digest));
                decisions.Add(new EntryDecision(staged.Image, staged.Digest, tag, EntryDecisionKind.Add));
            }
        }
        return decisions;
    }

    /// <summary>
    /// Edits <paramref name="text"/> (the content of <paramref name="file"/>) to hold <paramref name="wanted"/> as
    /// <see cref="Decide"/> decides. With a refused entry, or nothing to add, the text is returned unchanged.
    /// </summary>
    /// <param name="text">The file's text; empty for a file that does not exist yet.</param>
    /// <param name="file">The file name for errors and the diff header, e.g. <c>registry.k8s.io/images/k8s-staging-foo/images.yaml</c>.</param>
    /// <param name="wanted">What the pull request asks for.</param>
    /// <exception cref="Promoter.Yaml.InputFormatException">The file does not read as an images list.</exception>
    /// <exception cref="ImagesYamlLayoutException">An entry to edit is not in kpromo's layout.</exception>
    public static ImagesYamlEditResult Apply(string text, string file, IReadOnlyList<StagedImage> wanted)
    {
        var images = ManifestReader.ParseImages(text, file);
        var decisions = Decide(images, wanted);
        var adds = decisions.Where(d => d.Kind == EntryDecisionKind.Add).ToList();
        if (adds.Count == 0 || decisions.Any(d => d.Kind == EntryDecisionKind.RefusedTagMove))
            return new ImagesYamlEditResult(text, decisions, "");

        var original = SplitLines(text);
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        // Edits are made on lines that all end with a line ending; a last line without one gets it (kpromo's files end with one).
        var lines = original.ToList();
        var missingNewline = lines.Count > 0 && !lines[^1].EndsWith('\n');
        if (missingNewline) lines[^1] += newline;
        var layout = Layout.Of(lines, images);
        var edits = new List<LineEdit>();
        var firstByName = new Dictionary<string, ImageEntry>(StringComparer.Ordinal);
        foreach (var image in images) firstByName.TryAdd(image.Name, image);

        foreach (var group in adds.GroupBy(a => a.Image, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var byDigest = group.GroupBy(a => a.Digest, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Where(a => a.Tag is not null).Select(a => a.Tag!).ToList(), StringComparer.Ordinal);
            if (firstByName.TryGetValue(group.Key, out var image))
                edits.AddRange(EditImage(lines, file, image, byDigest, newline));
            else
                edits.Add(NewImage(lines, images, group.Key, byDigest, layout, newline));
        }
        if (missingNewline && !edits.Any(e => e.At == lines.Count - 1 && e.Remove > 0))
            edits.Add(new LineEdit(lines.Count - 1, 1, [lines[^1]]));

        var newText = string.Concat(ApplyEdits(lines, edits));
        Check(text, newText, file, adds);
        return new ImagesYamlEditResult(newText, decisions, UnifiedDiff(original, edits, file));
    }

    /// <summary>Edits of one image already in the file: tags into existing digest lines, new digest lines in digest order.</summary>
    private static IEnumerable<LineEdit> EditImage(List<string> lines, string file, ImageEntry image, Dictionary<string, List<string>> byDigest,
        string newline)
    {
        var entries = image.Dmap.Select(entry =>
        {
            var index = (entry.Location?.Line ?? 0) - 1;
            if (index < 0 || index >= lines.Count || !DigestLine().IsMatch(Body(lines[index])))
                throw new ImagesYamlLayoutException(
                    $"{file}:{index + 1}: image '{image.Name}': digest {entry.Digest} is not in kpromo's layout (one line \"sha256:...\": [\"tag\", ...]); edit this entry by hand");
            return (entry.Digest, Index: index);
        }).ToList();
        var indent = Indentation(lines[entries[0].Index]);

        var edits = new List<LineEdit>();
        foreach (var (digest, index) in entries)
        {
            if (!byDigest.Remove(digest, out var tags) || tags.Count == 0) continue;
            var line = lines[index];
            foreach (var tag in tags) line = InsertTag(line, tag);
            edits.Add(new LineEdit(index, 1, [line]));
        }
        foreach (var (digest, tags) in byDigest.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var before = entries.FirstOrDefault(e => string.CompareOrdinal(e.Digest, digest) > 0);
            var at = before.Digest is not null ? before.Index : entries.Max(e => e.Index) + 1;
            edits.Add(new LineEdit(at, 0, [indent + DigestText(digest, tags) + newline]));
        }
        return edits;
    }

    /// <summary>A new image block, before the first image whose name sorts after it (and the comment lines right above that image), else at the end.</summary>
    private static LineEdit NewImage(List<string> lines, IReadOnlyList<ImageEntry> images, string name, Dictionary<string, List<string>> byDigest,
        Layout layout, string newline)
    {
        var block = new List<string>
        {
            $"{layout.Item}name: {name}{newline}",
            $"{layout.Key}dmap:{newline}",
        };
        block.AddRange(byDigest.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => layout.Digest + DigestText(p.Key, p.Value) + newline));

        var next = images.FirstOrDefault(i => string.CompareOrdinal(i.Name, name) > 0 && i.Location is { Line: > 0 });
        if (next is not null)
        {
            var at = next.Location!.Value.Line - 1;
            while (at > 0 && Body(lines[at - 1]).TrimStart().StartsWith('#')) at--;
            return new LineEdit(at, 0, block);
        }
        return new LineEdit(lines.Count, 0, block);
    }

    /// <summary><c>"digest": ["a", "b"]</c> with the tags sorted (kpromo's layout; no tags gives <c>[]</c>).</summary>
    internal static string DigestText(string digest, IEnumerable<string> tags) =>
        $"\"{digest}\": [{string.Join(", ", tags.Order(StringComparer.Ordinal).Select(t => $"\"{t}\""))}]";

    /// <summary>
    /// Inserts <paramref name="tag"/> into the flow list of a digest line before the first tag that sorts after it (else
    /// last), with the list's own separator (<c>", "</c> for a list of fewer than two tags); every other byte is kept.
    /// </summary>
    internal static string InsertTag(string line, string tag)
    {
        var body = Body(line);
        var match = DigestLine().Match(body);
        if (!match.Success) throw new ArgumentException($"not a digest line: {line}", nameof(line));
        var list = match.Groups["tags"];
        var items = TagItem().Matches(list.Value).ToList();
        var quoted = $"\"{tag}\"";
        string inserted;
        if (items.Count == 0)
        {
            inserted = quoted;
            return body[..list.Index] + inserted + body[(list.Index + list.Length)..] + line[body.Length..];
        }
        var separator = items.Count >= 2 ? list.Value[(items[0].Index + items[0].Length)..items[1].Index] : ", ";
        var position = items.FindIndex(i => string.CompareOrdinal(Unquote(i.Value), tag) > 0);
        int offset;
        if (position >= 0)
        {
            offset = list.Index + items[position].Index;
            inserted = quoted + separator;
        }
        else
        {
            offset = list.Index + items[^1].Index + items[^1].Length;
            inserted = separator + quoted;
        }
        return body[..offset] + inserted + body[offset..] + line[body.Length..];
    }

    private static string Unquote(string item) =>
        item.Length >= 2 && (item[0] == '"' || item[0] == '\'') && item[^1] == item[0] ? item[1..^1] : item;

    /// <summary>The new text must read back as the old entries plus exactly the added ones.</summary>
    private static void Check(string oldText, string newText, string file, IReadOnlyList<EntryDecision> adds)
    {
        static HashSet<(string, string, string?)> Entries(string text, string file) =>
            ManifestReader.ParseImages(text, file)
                .SelectMany(i => i.Dmap.SelectMany(d => d.Tags.Count == 0
                    ? [(i.Name, d.Digest, (string?)null)]
                    : d.Tags.Select(t => (i.Name, d.Digest, (string?)t))))
                .ToHashSet();
        var expected = Entries(oldText, file);
        foreach (var add in adds)
        {
            if (add.Tag is not null) expected.Remove((add.Image, add.Digest, null));
            expected.Add((add.Image, add.Digest, add.Tag));
        }
        var actual = Entries(newText, file);
        if (!actual.SetEquals(expected))
            throw new InvalidOperationException($"the edit of {file} does not hold the expected entries: missing " +
                $"{string.Join(", ", expected.Except(actual))}; unexpected {string.Join(", ", actual.Except(expected))}");
    }

    /// <summary>The lines of <paramref name="text"/>, each with its line ending (the last one may have none).</summary>
    internal static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) { lines.Add(text[start..]); break; }
            lines.Add(text[start..(end + 1)]);
            start = end + 1;
        }
        return lines;
    }

    /// <summary>A line without its line ending.</summary>
    private static string Body(string line) => line.TrimEnd('\n').TrimEnd('\r');

    private static string Indentation(string line) => line[..(line.Length - line.TrimStart(' ', '\t').Length)];

    /// <summary>Replace <paramref name="Remove"/> lines (0 or 1) at <paramref name="At"/> with <paramref name="Insert"/>.</summary>
    private sealed record LineEdit(int At, int Remove, IReadOnlyList<string> Insert);

    private static List<string> ApplyEdits(List<string> lines, List<LineEdit> edits)
    {
        var result = new List<string>();
        var ordered = Ordered(edits);
        var next = 0;
        for (var i = 0; i <= lines.Count; i++)
        {
            var removed = false;
            while (next < ordered.Count && ordered[next].At == i)
            {
                result.AddRange(ordered[next].Insert);
                removed |= ordered[next].Remove > 0;
                next++;
            }
            if (i < lines.Count && !removed) result.Add(lines[i]);
        }
        return result;
    }

    /// <summary>Edits by line, insertions before the replacement of the same line, keeping the order they were made in otherwise.</summary>
    private static List<LineEdit> Ordered(List<LineEdit> edits) =>
        edits.Select((e, i) => (e, i)).OrderBy(x => x.e.At).ThenBy(x => x.e.Remove).ThenBy(x => x.i).Select(x => x.e).ToList();

    /// <summary>A unified diff (3 lines of context, <c>a/</c> and <c>b/</c> prefixes) of the edits.</summary>
    private static string UnifiedDiff(List<string> lines, List<LineEdit> edits, string file)
    {
        // One row per line of either side: ' ' kept, '-' removed, '+' added.
        var rows = new List<(char Kind, string Text)>();
        var ordered = Ordered(edits);
        var next = 0;
        for (var i = 0; i <= lines.Count; i++)
        {
            var removed = false;
            while (next < ordered.Count && ordered[next].At == i)
            {
                if (ordered[next].Remove > 0 && !removed) { rows.Add(('-', lines[i])); removed = true; }
                rows.AddRange(ordered[next].Insert.Select(line => ('+', line)));
                next++;
            }
            if (i < lines.Count && !removed) rows.Add((' ', lines[i]));
        }

        const int context = 3;
        var b = new StringBuilder();
        b.Append("--- a/").Append(file).Append('\n').Append("+++ b/").Append(file).Append('\n');
        var changed = rows.Select((r, i) => (r, i)).Where(x => x.r.Kind != ' ').Select(x => x.i).ToList();
        var h = 0;
        while (h < changed.Count)
        {
            var first = Math.Max(0, changed[h] - context);
            var last = changed[h];
            while (h + 1 < changed.Count && changed[h + 1] - last <= 2 * context) last = changed[++h];
            last = Math.Min(rows.Count - 1, last + context);
            h++;
            int oldStart = 1 + rows.Take(first).Count(r => r.Kind != '+'), newStart = 1 + rows.Take(first).Count(r => r.Kind != '-');
            var hunk = rows.Skip(first).Take(last - first + 1).ToList();
            int oldCount = hunk.Count(r => r.Kind != '+'), newCount = hunk.Count(r => r.Kind != '-');
            b.Append($"@@ -{(oldCount == 0 ? oldStart - 1 : oldStart)},{oldCount} +{(newCount == 0 ? newStart - 1 : newStart)},{newCount} @@\n");
            foreach (var (kind, text) in hunk)
            {
                b.Append(kind).Append(Body(text)).Append('\n');
                if (!text.EndsWith('\n')) b.Append("\\ No newline at end of file\n");
            }
        }
        return b.ToString();
    }

    /// <summary>How the file starts an image item (kpromo's <c>"- "</c>) and indents its keys and digest lines (two, four spaces).</summary>
    private sealed record Layout(string Item, string Key, string Digest)
    {
        private static readonly Layout Kpromo = new("- ", "  ", "    ");

        public static Layout Of(List<string> lines, IReadOnlyList<ImageEntry> images)
        {
            var first = images.FirstOrDefault(i => i.Location is { Line: > 0 } && i.Dmap.Count > 0 && i.Dmap[0].Location is { Line: > 0 });
            if (first is null) return Kpromo;
            var itemLine = Body(lines[first.Location!.Value.Line - 1]);
            var item = ItemLine().Match(itemLine);
            var digestLine = lines[first.Dmap[0].Location!.Value.Line - 1];
            var dmapLine = lines.Skip(first.Location.Value.Line - 1).Take(first.Dmap[0].Location!.Value.Line - first.Location.Value.Line)
                .Select(Body).FirstOrDefault(l => l.TrimStart().StartsWith("dmap:", StringComparison.Ordinal));
            return item.Success && dmapLine is not null
                ? new Layout(item.Groups["item"].Value, Indentation(dmapLine), Indentation(digestLine))
                : Kpromo;
        }
    }

    [GeneratedRegex(@"^(?<item>[ \t]*-[ \t]+)name:")]
    private static partial Regex ItemLine();

    /// <summary>A digest line of kpromo's layout: <c>"sha256:&lt;hex&gt;": [tags]</c> (quoted or not), maybe a comment after it.</summary>
    [GeneratedRegex(@"^[ \t]*(?:""sha256:[0-9a-f]{64}""|'sha256:[0-9a-f]{64}'|sha256:[0-9a-f]{64})[ \t]*:[ \t]*\[(?<tags>[^\]#""']*(?:(?:""[^""]*""|'[^']*')[^\]#""']*)*)\][ \t]*(?:#.*)?$")]
    private static partial Regex DigestLine();

    /// <summary>One item of a flow tag list: a quoted or a plain scalar.</summary>
    [GeneratedRegex(@"""[^""]*""|'[^']*'|[^,\s]+")]
    private static partial Regex TagItem();
}
