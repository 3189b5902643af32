using Promoter.Inputs;
using Promoter.Oci;
using Promoter.Registry;
using Promoter.Yaml;

namespace Promoter.Promotion;

/// <summary>
/// Reads promoter manifests, <c>images.yaml</c> lists and thin-manifest directories
/// (<c>manifests/README.md</c> §1 and §2). Decoding is strict: unknown keys and duplicate mapping keys are
/// errors, and tags are kept exactly as written. Every error names file, line and field.
/// </summary>
public static class ManifestReader
{
    /// <summary>The file name of a thin manifest inside <c>DIR/manifests/P/</c>.</summary>
    public const string ThinManifestFileName = "promoter-manifest.yaml";

    /// <summary>The file name of a thin project's image list inside <c>DIR/images/P/</c>.</summary>
    public const string ImagesFileName = "images.yaml";

    private const string DigestExpectation = "expected sha256: + 64 lower-case hex";
    private const string TagExpectation = @"expected ^\w[\w.-]{0,127}$: an ASCII letter, digit or '_' first, then letters, digits, '_', '.' or '-', at most 128 characters";

    /// <summary>Reads and validates the plain promoter manifest at <paramref name="path"/>; errors name the path as given.</summary>
    /// <exception cref="InputFormatException">The YAML is invalid, has unknown or duplicate keys, or fails a §1 check.</exception>
    /// <exception cref="InputFileException">The file is missing, not a regular file, over <see cref="InputFile.MaxTextBytes"/>, or unreadable.</exception>
    public static PromoterManifest Load(string path) => Parse(InputFile.ReadAllText(path), path);

    /// <summary>
    /// Parses and validates a plain promoter manifest: keys <c>registries</c> and <c>images</c> only; a non-empty
    /// <c>registries</c> with non-empty names and exactly one <c>src: true</c>; every image with a non-empty name and
    /// <c>dmap</c>; digests matching <c>^sha256:[0-9a-f]{64}$</c>; tags matching <c>^\w[\w.-]{0,127}$</c> (ASCII).
    /// </summary>
    /// <param name="yaml">The manifest text.</param>
    /// <param name="file">The file name to put in errors.</param>
    /// <exception cref="InputFormatException">Every problem found, each with file, line and field.</exception>
    public static PromoterManifest Parse(string yaml, string file)
    {
        var root = YamlTree.Parse(yaml, file);
        var d = new YamlDecoder(file);
        var map = d.Mapping(root, "", "registries", "images");
        var registries = DecodeManifestRegistries(d, map, root);
        var images = DecodeImages(d, map?.Get("images"), "images");
        d.ThrowIfAny();
        return new PromoterManifest(file, registries, images);
    }

    /// <summary>
    /// Parses an <c>images.yaml</c>: a bare YAML list of <c>{name, dmap}</c> (also the snapshot format of §3), with the
    /// rules of a manifest's <c>images</c>: names valid and <c>dmap</c>s non-empty, digests and tags matching their patterns.
    /// </summary>
    /// <param name="yaml">The list text; an empty text is an empty list.</param>
    /// <param name="file">The file name to put in errors.</param>
    /// <exception cref="InputFormatException">Every problem found, each with file, line and field (paths start at <c>[i]</c>).</exception>
    public static IReadOnlyList<ImageEntry> ParseImages(string yaml, string file)
    {
        var root = YamlTree.Parse(yaml, file);
        var d = new YamlDecoder(file);
        var images = DecodeImages(d, root, "");
        d.ThrowIfAny();
        return images;
    }

    /// <summary>
    /// Reads a thin-manifest directory (§2). <c>DIR/images</c> and <c>DIR/manifests</c> must be directories.
    /// Every <c>promoter-manifest.yaml</c> under <c>DIR/manifests</c> must sit exactly at <c>manifests/P/</c>
    /// ("unexpected manifest path" otherwise); each needs a regular file <c>DIR/images/P/images.yaml</c>.
    /// A direct subfolder of <c>manifests</c> without a manifest is skipped with a warning; folders under
    /// <c>images</c> without a manifest are ignored. Symbolic links are followed only while they stay inside DIR
    /// (<see cref="ConfinedDirectory"/>): a link that leaves DIR or loops is an error naming the link and its target, and
    /// every file read must be a regular file within <see cref="InputFile.MaxTextBytes"/>. Each thin manifest accepts <c>registries</c> and the
    /// deprecated (ignored) <c>imagesPath</c>; its <c>registries</c> and its project's <c>images.yaml</c> are checked by the
    /// same code and rules as a plain manifest's (names, exactly one <c>src: true</c>, digest and tag patterns), so a bad
    /// field is refused here, before any request, with the same <c>file:line: field</c> error.
    /// The cross-edge overlap check is run by <see cref="PromotionEdges.FromManifests"/>, as for plain manifests.
    /// </summary>
    /// <param name="directory">DIR. Trailing separators are removed (upstream required DIR without one).</param>
    /// <returns>One manifest per project, ordered by project name, and the warnings.</returns>
    /// <exception cref="InputFormatException">A layout rule is broken, a link leaves DIR or loops, a file is not a regular file or
    /// too large, no manifest is found, or a file fails to decode or validate.</exception>
    public static ThinManifestSet LoadThinDirectory(string directory)
    {
        var dir = directory.Length > 1 ? directory.TrimEnd('/', Path.DirectorySeparatorChar) : directory;
        if (dir.Length == 0) dir = directory;
        var manifestsDir = Path.Combine(dir, "manifests");
        var imagesDir = Path.Combine(dir, "images");
        var layout = new List<ManifestError>();
        var tree = new ConfinedDirectory(dir);
        var links = new List<LinkProblem>();
        foreach (var required in new[] { imagesDir, manifestsDir })
        {
            if (tree.Escape(required) is { } escape)
                links.Add(escape);
            else if (!Directory.Exists(required))
                layout.Add(new ManifestError(new SourceLocation(required, 1, ""), "not a directory (a thin-manifest directory needs both images/ and manifests/)"));
        }
        if (layout.Count + links.Count > 0)
            throw new InputFormatException(layout.Concat(links.Select(LinkError)));

        // Every promoter-manifest.yaml under manifests/ must be exactly DIR/manifests/<P>/promoter-manifest.yaml:
        // the path, DIR cut off as text, splits on '/' into 4 parts ("", "manifests", P, file name).
        var found = tree.FindFiles(manifestsDir, ThinManifestFileName, links);
        layout.AddRange(links.Select(LinkError));
        foreach (var path in found)
        {
            var relative = path[dir.Length..].Replace(Path.DirectorySeparatorChar, '/');
            if (relative.Split('/').Length != 4)
                layout.Add(new ManifestError(new SourceLocation(path, 1, ""),
                    $"unexpected manifest path (expected {dir}/manifests/<project>/{ThinManifestFileName})"));
        }
        if (layout.Count > 0)
            throw new InputFormatException(layout);

        var warnings = new List<string>();
        var manifests = new List<PromoterManifest>();
        var errors = new List<ManifestError>();
        var projects = Directory.EnumerateDirectories(manifestsDir).Order(StringComparer.Ordinal);
        foreach (var projectDir in projects)
        {
            var project = Path.GetFileName(projectDir);
            var manifestPath = Path.Combine(projectDir, ThinManifestFileName);
            if (tree.Escape(manifestPath) is not null) continue; // reported by the walk above
            if (InputFile.Problem(manifestPath) is { } manifestProblem)
            {
                if (InputFile.IsAbsent(manifestPath))
                    warnings.Add($"{projectDir}: skipped, no regular file {ThinManifestFileName} in it");
                else
                    errors.Add(new ManifestError(new SourceLocation(manifestPath, 0, ""), manifestProblem));
                continue;
            }
            var imagesPath = Path.Combine(imagesDir, project, ImagesFileName);
            if (tree.Escape(imagesPath) is { } escape)
            {
                errors.Add(LinkError(escape));
                continue;
            }
            if (InputFile.Problem(imagesPath) is { } imagesProblem)
            {
                errors.Add(InputFile.IsAbsent(imagesPath)
                    ? new ManifestError(new SourceLocation(manifestPath, 1, ""),
                        $"no images file for project '{project}' (expected a regular file {imagesPath})")
                    : new ManifestError(new SourceLocation(imagesPath, 0, ""), imagesProblem));
                continue;
            }
            try
            {
                manifests.Add(ParseThin(InputFile.ReadAllText(manifestPath), manifestPath, InputFile.ReadAllText(imagesPath), imagesPath, project));
            }
            catch (InputFormatException e)
            {
                errors.AddRange(e.Errors);
            }
            catch (InputFileException e)
            {
                errors.Add(new ManifestError(new SourceLocation(e.Path, 0, ""), e.Reason));
            }
        }
        if (errors.Count > 0)
            throw new InputFormatException(errors);
        if (manifests.Count == 0)
            throw new InputFormatException(new ManifestError(new SourceLocation(manifestsDir, 1, ""),
                $"no thin manifests found (expected {dir}/manifests/<project>/{ThinManifestFileName})"));
        return new ThinManifestSet(manifests, warnings);
    }

    private static ManifestError LinkError(LinkProblem link) => new(new SourceLocation(link.Link, 0, ""), link.Reason);

    /// <summary>Combines one thin manifest (registries) with its project's images.yaml (§2 "Combination").</summary>
    private static PromoterManifest ParseThin(string manifestYaml, string manifestFile, string imagesYaml, string imagesFile, string project)
    {
        var root = YamlTree.Parse(manifestYaml, manifestFile);
        var d = new YamlDecoder(manifestFile);
        var map = d.Mapping(root, "", "registries", "imagesPath");
        if (map?.Get("imagesPath") is { } imagesPathNode)
            d.String(imagesPathNode, "imagesPath");
        var registries = DecodeManifestRegistries(d, map, root);

        List<ImageEntry>? images = null;
        List<ManifestError>? imageErrors = null;
        try
        {
            images = ParseImages(imagesYaml, imagesFile).ToList();
        }
        catch (InputFormatException e)
        {
            imageErrors = e.Errors.ToList();
        }
        var all = d.Errors.Concat(imageErrors ?? []).ToList();
        if (all.Count > 0)
            throw new InputFormatException(all);
        return new PromoterManifest(manifestFile, registries, images!) { Project = project, ImagesFile = imagesFile };
    }

    /// <summary>
    /// The <c>registries</c> of a promoter manifest, plain or thin (one rule for both): a non-empty list of valid names
    /// with exactly one <c>src: true</c>.
    /// </summary>
    private static List<RegistryEntry> DecodeManifestRegistries(YamlDecoder d, YMapping? map, YNode? root)
    {
        var sourceLocations = new List<SourceLocation>();
        var registries = DecodeRegistries(d, map?.Get("registries"), "registries", sourceLocations);
        CheckRegistries(d, registries, sourceLocations, map?.KeyNode("registries") ?? root);
        return registries;
    }

    /// <summary>Decodes a list of <c>{name, service-account, src}</c> (also used by the e2e test file).</summary>
    internal static List<RegistryEntry> DecodeRegistries(YamlDecoder d, YNode? node, string field, List<SourceLocation>? sourceLocations = null)
    {
        var result = new List<RegistryEntry>();
        foreach (var (path, map, name, namePath) in d.NamedMappings(d.Sequence(node, field), field,
                     "a mapping with keys name, service-account, src", "a registry name such as gcr.io/project/prefix", "name", "service-account", "src"))
        {
            if (name.Length > 0 && !RegistryPath.TryParse(name, out _, out var nameError))
                d.Error(map.Get("name") ?? map, namePath, nameError!);
            var serviceAccount = d.String(map.Get("service-account"), YamlDecoder.Child(path, "service-account"));
            var srcPath = YamlDecoder.Child(path, "src");
            var srcNode = map.Get("src");
            var src = d.Bool(srcNode, srcPath, missing: false);
            result.Add(new RegistryEntry(name, serviceAccount, src) { Location = d.At(map, path) });
            if (src)
                sourceLocations?.Add(d.At(srcNode, srcPath));
        }
        return result;
    }

    private static void CheckRegistries(YamlDecoder d, List<RegistryEntry> registries, List<SourceLocation> sourceLocations, YNode? anchor)
    {
        if (registries.Count == 0)
        {
            d.Error(anchor, "registries", "must list at least one registry");
            return;
        }
        var sources = registries.Where(r => r.Src).ToList();
        if (sources.Count == 0)
            d.Error(anchor, "registries", "no registry has src: true (expected exactly one source)");
        else if (sources.Count > 1)
            d.Error(sourceLocations[1],
                $"{sources.Count} registries have src: true ({string.Join(", ", sources.Select(s => s.Name))}); expected exactly one source");
    }

    /// <summary>
    /// Decodes a list of <c>{name, dmap}</c> with every check of §1 (names, non-empty dmaps, digest and tag patterns); the
    /// one decoder of manifests, thin directories' images.yaml, snapshots and e2e files.
    /// </summary>
    internal static List<ImageEntry> DecodeImages(YamlDecoder d, YNode? node, string field)
    {
        var result = new List<ImageEntry>();
        foreach (var (path, map, name, namePath) in d.NamedMappings(d.Sequence(node, field), field,
                     "a mapping with keys name, dmap", "an image name such as foo or foo/bar", "name", "dmap"))
        {
            if (name.Length > 0 && RepositoryName.Problem(name) is { } problem)
                d.Error(map.Get("name") ?? map, namePath, $"'{name}' is not an image name: {problem}");
            var dmapPath = YamlDecoder.Child(path, "dmap");
            var dmap = DecodeDmap(d, map.Get("dmap"), map.KeyNode("dmap") ?? (YNode)map, dmapPath);
            result.Add(new ImageEntry(name, dmap) { Location = d.At(map, path) });
        }
        return result;
    }

    private static List<DigestTags> DecodeDmap(YamlDecoder d, YNode? node, YNode anchor, string field)
    {
        var result = new List<DigestTags>();
        if (node is not null && node is not YScalar { IsNull: true } && node is not YMapping)
        {
            d.Error(node, field, $"expected a mapping of digest -> tags, found {YamlDecoder.Describe(node)}");
            return result;
        }
        if (node is not YMapping map || map.Entries.Count == 0)
        {
            d.Error(node is YMapping ? node : anchor, field, "must not be empty (expected at least one digest -> tags entry)");
            return result;
        }
        foreach (var (key, value) in map.Entries)
        {
            var digest = key.Value;
            if (!Digest.TryParse(digest, out _))
                d.Error(key, field, $"'{digest}' is not a digest ({DigestExpectation})");
            var entryPath = $"{field}[\"{digest}\"]";
            var tags = new List<string>();
            var tagNodes = d.Sequence(value, entryPath);
            for (var t = 0; t < tagNodes.Count; t++)
            {
                var tagPath = YamlDecoder.Index(entryPath, t);
                var tag = d.String(tagNodes[t], tagPath);
                if (tag is null)
                {
                    if (tagNodes[t] is YScalar)
                        d.Error(tagNodes[t], tagPath, "expected a tag, found null");
                    continue;
                }
                if (!ImageReference.IsValidTag(tag))
                    d.Error(tagNodes[t], tagPath, $"'{tag}' is not a tag ({TagExpectation})");
                tags.Add(tag);
            }
            result.Add(new DigestTags(digest, tags) { Location = d.At(key, entryPath) });
        }
        return result;
    }
}
