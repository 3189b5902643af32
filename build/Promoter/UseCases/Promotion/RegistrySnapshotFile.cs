using Promoter.Inputs;
using Promoter.Oci;
using Promoter.Registry;
using Promoter.Yaml;

namespace Promoter.Promotion;

/// <summary>
/// A committed snapshot of one registry (<c>manifests/README.md</c> §3): kpromo's snapshot YAML or CSV, as
/// <c>Promote --snapshot=REGISTRY</c> (<c>--output=yaml|csv</c>) prints it. Neither format names the registry, so the
/// registry is given with the file (<c>REGISTRY=FILE</c>). Read strictly, through the input gate: every problem is
/// reported at once as <c>file:line: field: message</c>.
/// </summary>
/// <param name="Registry">The registry the snapshot is of, <c>host[:port][/prefix]</c> as <see cref="RegistryPath"/> writes it.</param>
/// <param name="File">The file, as named to the reader.</param>
/// <param name="Contents">What the registry held; image names relative to <see cref="Registry"/>; locations kept.</param>
public sealed record RegistrySnapshotFile(string Registry, string File, Snapshot Contents)
{
    /// <summary>Reads <paramref name="path"/> as the snapshot of <paramref name="registry"/>: CSV when its name ends in
    /// <c>.csv</c>, YAML when in <c>.yaml</c> or <c>.yml</c>, else CSV when its first non-blank line is not YAML (does not
    /// start with <c>-</c>, <c>[</c> or <c>#</c>).</summary>
    /// <exception cref="FormatException"><paramref name="registry"/> is not a registry name.</exception>
    /// <exception cref="InputFileException">The file is missing, not a regular file, over <see cref="InputFile.MaxTextBytes"/>, or unreadable.</exception>
    /// <exception cref="InputFormatException">The file does not parse, or says something no registry can hold (an image listed twice, a tag on two digests of one image).</exception>
    public static RegistrySnapshotFile Load(string registry, string path)
    {
        var name = RegistryPath.Parse(registry).ToString();
        var text = InputFile.ReadAllText(path);
        return new RegistrySnapshotFile(name, path, IsCsv(path, text) ? ParseCsv(text, path) : ParseYaml(text, path));
    }

    /// <summary>kpromo's snapshot YAML: a list of <c>{name, dmap}</c> (<see cref="Snapshot.Parse"/>), plus the checks a
    /// registry's contents always pass (an image once, a tag of an image on one digest, a tag once per digest).</summary>
    /// <exception cref="InputFormatException">Every problem found.</exception>
    public static Snapshot ParseYaml(string text, string file)
    {
        var snapshot = Snapshot.Parse(text, file);
        var errors = new List<ManifestError>();
        var images = new Dictionary<string, ImageEntry>(StringComparer.Ordinal);
        foreach (var image in snapshot.Images)
        {
            var at = image.Location ?? new SourceLocation(file, 0, "");
            if (!images.TryAdd(image.Name, image))
            {
                errors.Add(new ManifestError(at with { Field = at.Field + ".name" },
                    $"image '{image.Name}' is listed twice (also at line {images[image.Name].Location?.Line}); a snapshot lists each image once"));
                continue;
            }
            var tags = new Dictionary<string, DigestTags>(StringComparer.Ordinal);
            foreach (var entry in image.Dmap)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var tag in entry.Tags)
                {
                    var entryAt = entry.Location ?? at;
                    if (!seen.Add(tag))
                        errors.Add(new ManifestError(entryAt, $"tag '{tag}' is listed twice"));
                    else if (!tags.TryAdd(tag, entry))
                        errors.Add(new ManifestError(entryAt,
                            $"tag '{tag}' of image '{image.Name}' is also on {tags[tag].Digest} (line {tags[tag].Location?.Line}); a tag points at one digest"));
                }
            }
        }
        if (errors.Count > 0) throw new InputFormatException(errors);
        return snapshot;
    }

    /// <summary>
    /// kpromo's snapshot CSV (<see cref="Snapshot.ToCsv"/>): one line per tag, <c>image@digest,image:tag</c>, and
    /// <c>image@digest,-</c> for a tagless digest, every line ending with a line feed (a carriage return before it is
    /// taken off). Images, digests and tags keep the order of their first line. An empty text is an empty snapshot.
    /// </summary>
    /// <exception cref="InputFormatException">Every problem found: a line that is not two fields, a bad image name, digest or
    /// tag, the second field naming another image, a line given twice, a digest both tagless and tagged, a tag on two
    /// digests of one image, a blank line.</exception>
    public static Snapshot ParseCsv(string text, string file)
    {
        var errors = new List<ManifestError>();
        var images = new List<(string Name, SourceLocation At, List<(string Digest, SourceLocation At, List<string> Tags, bool Tagless)> Dmap)>();
        var tagged = new Dictionary<(string Image, string Tag), (string Digest, int Line)>();
        var lines = text.Split('\n');
        // A final line feed ends the last line; it does not start an empty one.
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var number = i + 1;
            var line = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            SourceLocation At(string field) => new(file, number, field);
            if (line.Trim().Length == 0)
            {
                errors.Add(new ManifestError(At(""), "blank line; expected image@digest,image:tag or image@digest,-"));
                continue;
            }
            var fields = line.Split(',');
            if (fields.Length != 2)
            {
                errors.Add(new ManifestError(At(""), $"expected two fields, image@digest,image:tag or image@digest,-; found {fields.Length}"));
                continue;
            }
            var at = fields[0].LastIndexOf('@');
            if (at <= 0)
            {
                errors.Add(new ManifestError(At("image@digest"), $"'{fields[0]}' is not image@digest"));
                continue;
            }
            var name = fields[0][..at];
            var digest = fields[0][(at + 1)..];
            var ok = true;
            if (RepositoryName.Problem(name) is { } problem)
            {
                errors.Add(new ManifestError(At("image@digest"), $"'{name}' is not an image name: {problem}"));
                ok = false;
            }
            if (!Digest.TryParse(digest, out _))
            {
                errors.Add(new ManifestError(At("image@digest"), $"'{digest}' is not a digest (expected sha256: + 64 lower-case hex)"));
                ok = false;
            }
            string? tag = null;
            if (fields[1] != "-")
            {
                var colon = fields[1].LastIndexOf(':');
                if (colon <= 0)
                {
                    errors.Add(new ManifestError(At("image:tag"), $"'{fields[1]}' is not image:tag or -"));
                    continue;
                }
                if (!string.Equals(fields[1][..colon], name, StringComparison.Ordinal))
                {
                    errors.Add(new ManifestError(At("image:tag"), $"'{fields[1]}' names image '{fields[1][..colon]}', not '{name}' of the first field"));
                    ok = false;
                }
                tag = fields[1][(colon + 1)..];
                if (!ImageReference.IsValidTag(tag))
                {
                    errors.Add(new ManifestError(At("image:tag"), $"'{tag}' is not a tag"));
                    ok = false;
                }
            }
            if (!ok) continue;

            var image = images.FindIndex(x => x.Name == name);
            if (image < 0)
            {
                images.Add((name, At(""), []));
                image = images.Count - 1;
            }
            var dmap = images[image].Dmap;
            var entry = dmap.FindIndex(x => x.Digest == digest);
            if (entry < 0)
            {
                dmap.Add((digest, At($"{name}@{digest}"), [], tag is null));
                entry = dmap.Count - 1;
            }
            else if (tag is null || dmap[entry].Tagless)
            {
                errors.Add(new ManifestError(At(tag is null ? "image@digest" : "image:tag"), tag is null && dmap[entry].Tags.Count == 0
                    ? $"{name}@{digest} is listed twice (first at line {dmap[entry].At.Line})"
                    : $"{name}@{digest} is listed both tagless (-) and tagged (line {dmap[entry].At.Line}); a tagless line is only for a digest without tags"));
                continue;
            }
            if (tag is null) continue;
            if (tagged.TryGetValue((name, tag), out var before))
            {
                errors.Add(new ManifestError(At("image:tag"), before.Digest == digest
                    ? $"{name}:{tag} is listed twice for {digest} (first at line {before.Line})"
                    : $"{name}:{tag} is also on {before.Digest} (line {before.Line}); a tag points at one digest"));
                continue;
            }
            tagged[(name, tag)] = (digest, number);
            dmap[entry].Tags.Add(tag);
        }
        if (errors.Count > 0) throw new InputFormatException(errors);
        return new Snapshot(images.Select(i => new ImageEntry(i.Name,
            i.Dmap.Select(d => new DigestTags(d.Digest, d.Tags) { Location = d.At }).ToList()) { Location = i.At }).ToList());
    }

    private static bool IsCsv(string path, string text)
    {
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return true;
        if (path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)) return false;
        var first = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return first is not null && first[0] is not ('-' or '[' or '#');
    }
}
