using Promoter.Inputs;
using System.Text.RegularExpressions;
using Promoter.Oci;
using Promoter.Images;
using Promoter.Yaml;
using Promoter.Archives;

namespace Promoter.Golden;

/// <summary>
/// A golden set: which archives to push to the source registry, under which repository and tags, and which manifest
/// lists to build over them. Read with the project's strict YAML reader, as promoter manifests and release definitions
/// are: duplicate and unknown keys, wrong types and bad values are errors naming file:line and field, and one load
/// reports every problem. Repository names, tags and platforms follow the shared rules (<see cref="RepositoryName"/>,
/// <see cref="ImageReference.IsValidTag"/>, <see cref="Platform.Parse"/>). A key written with a YAML null value
/// (<c>~</c> or nothing) counts as absent when it is optional. Format (see <c>images/golden/golden.yaml</c> and
/// <c>images/golden/upstream/golden.yaml</c>):
/// <code>
/// images:                       # required, non-empty
///   - name: foo-s390x           # required, unique, [a-z0-9._-]+
///     archive: foo/1.0-linux_s390x.tar   # required, relative to the archive root, must exist
///     repository: golden-foo/foo         # required, repository path without registry
///     tags: ["1.0-linux_s390x"]          # required unless tagless: true
///     platform: linux/amd64              # required, os/architecture[/variant]: what the config says
///     tagless: false                     # optional; true = pushed by digest, no tag left (then no tags)
///     build:                    # optional; without it the archive is committed only and must exist
///       repoTags: ["golden-foo/foo:1.0-linux_s390x"]   # optional; default: repository:tag for each tag
///       author: someone                  # optional config/history author
///       createdBy: "..."                 # optional history created_by
///       savedInTimeZone: "-05:00"        # optional UTC offset of the docker save machine (Z or +hh:mm/-hh:mm), default Z;
///                                        #   the lower layers' v1 created is the Unix epoch in that zone
///       layers:                          # required, non-empty, base first
///         - files:                       # required list, may be empty (an empty layer)
///             - path: golden/foo/linux_s390x/1.0-linux_s390x   # required, path in the image
///               source: src/foo/linux_s390x/1.0-linux_s390x    # required, relative to this file's folder, must exist
///               mode: "0555"                                   # optional octal permission bits, default 0555
///         - files: []
/// manifestLists:                # optional
///   - repository: golden-foo/foo
///     tag: "1.0"
///     entries:                  # non-empty; images must be in the list's repository
///       - image: foo-amd64
///       - image: foo-s390x
///         platform: linux/s390x # optional override recorded in the list
/// archiveRoot: archives          # optional; relative to this file's folder; used when Load is given no archive root
/// </code>
/// The config of a built image declares the image's <c>platform</c> (os, architecture, variant).
/// </summary>
public sealed partial class GoldenSet
{
    private GoldenSet(string file, string archiveRoot, IReadOnlyList<GoldenSetImage> images, IReadOnlyList<GoldenSetManifestList> lists)
    {
        File = file;
        ArchiveRoot = archiveRoot;
        Images = images;
        ManifestLists = lists;
    }

    /// <summary>The YAML file the set was read from.</summary>
    public string File { get; }

    /// <summary>The folder the archive paths are relative to.</summary>
    public string ArchiveRoot { get; }

    /// <summary>The images, in file order.</summary>
    public IReadOnlyList<GoldenSetImage> Images { get; }

    /// <summary>The manifest lists, in file order.</summary>
    public IReadOnlyList<GoldenSetManifestList> ManifestLists { get; }

    /// <summary>The image named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such image.</exception>
    public GoldenSetImage Image(string name) =>
        Images.FirstOrDefault(i => i.Name == name) ?? throw new KeyNotFoundException($"{File}: no image named '{name}'.");

    /// <summary>Reads and validates a golden set file whose archive root is its <c>archiveRoot</c> key.</summary>
    /// <param name="yamlPath">The YAML file.</param>
    /// <exception cref="InputFormatException">As <see cref="Load(string, string)"/>, or the file has no <c>archiveRoot</c> key.</exception>
    public static GoldenSet Load(string yamlPath) => LoadCore(yamlPath, null);

    /// <summary>Reads and validates a golden set file.</summary>
    /// <param name="yamlPath">The YAML file.</param>
    /// <param name="archiveRoot">The folder archive paths are relative to (wins over the file's <c>archiveRoot</c> key).</param>
    /// <exception cref="InputFormatException">Unreadable YAML, a duplicate or unknown key, a missing or invalid field, a missing
    /// committed-only archive, a missing build source, a duplicate name, repository:tag or built archive path, or a list
    /// entry naming an unknown image or one in another repository; every problem found is listed.</exception>
    public static GoldenSet Load(string yamlPath, string archiveRoot) => LoadCore(yamlPath, archiveRoot);

    private static GoldenSet LoadCore(string yamlPath, string? archiveRoot)
    {
        var text = InputFile.ReadAllText(yamlPath);
        var root = YamlTree.Parse(text, yamlPath, namePaths: true);

        var decoder = new YamlDecoder(yamlPath);
        var reader = new Reader(decoder, Path.GetDirectoryName(Path.GetFullPath(yamlPath))!);
        var (archiveFolder, images, lists) = reader.Read(root, archiveRoot is null ? null : Path.GetFullPath(archiveRoot));
        if (decoder.Errors.Count > 0)
            throw new InputFormatException(decoder.Errors);
        return new GoldenSet(yamlPath, archiveFolder!, images, lists);
    }

    /// <summary>
    /// Opens and verifies every archive and builds its pushable image, checking that each config declares the
    /// platform the file says.
    /// </summary>
    /// <returns>The pushable images by <see cref="GoldenSetImage.Name"/>.</returns>
    /// <exception cref="ImageArchiveException">An archive fails verification.</exception>
    /// <exception cref="InputFormatException">A config declares another platform than the file says.</exception>
    public IReadOnlyDictionary<string, PushableImage> OpenImages()
    {
        var result = new Dictionary<string, PushableImage>(StringComparer.Ordinal);
        foreach (var image in Images)
        {
            var pushable = PushableImage.FromArchive(image.ArchivePath);
            if (pushable.Platform != image.Platform)
                throw new InputFormatException(File, image.Line, $"images[{image.Name}].platform",
                    $"the file says {image.Platform} but the config of {image.Archive} declares {pushable.Platform}; use a manifest list platform override to record another platform.");
            result[image.Name] = pushable;
        }
        return result;
    }

    /// <summary>Builds the manifest list <paramref name="list"/> from images opened by <see cref="OpenImages"/>.</summary>
    /// <exception cref="KeyNotFoundException">An entry's image is not in <paramref name="images"/>.</exception>
    public static PushableIndex BuildManifestList(GoldenSetManifestList list, IReadOnlyDictionary<string, PushableImage> images) =>
        PushableIndex.Create(list.Entries.Select(e => new PushableIndexEntry(images[e.Image], e.Platform)).ToList());
    /// <summary>
    /// Reads the document with the project's strict YAML reader (<see cref="YamlDecoder"/>): every problem is recorded
    /// there with file, line and field, and reading goes on, so that one load reports them all. The checks here are the
    /// golden set's own; repository names, tags and platforms are checked by the shared rules of <c>Promoter.Oci</c>.
    /// </summary>
    private sealed class Reader(YamlDecoder d, string setFolder)
    {
        private static readonly string[] TopKeys = ["images", "manifestLists", "archiveRoot"];
        private static readonly string[] ImageKeys = ["name", "archive", "repository", "tags", "platform", "tagless", "build"];
        private static readonly string[] BuildKeys = ["repoTags", "author", "createdBy", "savedInTimeZone", "layers"];
        private static readonly string[] LayerKeys = ["files"];
        private static readonly string[] FileKeys = ["path", "source", "mode"];
        private static readonly string[] ListKeys = ["repository", "tag", "entries"];
        private static readonly string[] EntryKeys = ["image", "platform"];

        /// <summary>The set's parts; the archive root is null only when an error says why.</summary>
        /// <param name="root">The document, or null for a file without one.</param>
        /// <param name="archiveRoot">The archive root given to Load (full path), or null to use the file's key.</param>
        public (string? ArchiveRoot, List<GoldenSetImage> Images, List<GoldenSetManifestList> Lists) Read(YNode? root, string? archiveRoot)
        {
            var images = new List<GoldenSetImage>();
            var lists = new List<GoldenSetManifestList>();
            var top = d.RequiredMapping(root, "", TopKeys);
            if (top is null)
            {
                if (root is null)
                    d.Error(root, "(document)", $"the file holds no YAML document; expected a mapping with keys {string.Join(", ", TopKeys)}.");
                return (archiveRoot, images, lists);
            }

            var archiveRootNode = Optional(top, "archiveRoot");
            if (archiveRootNode is not null)
            {
                if (RelativePath(archiveRootNode, "archiveRoot", "the golden set file's folder") is { } relative)
                    archiveRoot ??= Path.Combine(setFolder, relative);
            }
            else if (archiveRoot is null)
                d.Error(top, "(document).archiveRoot", "no archive root was given and the file has no 'archiveRoot' key; expected a folder relative to the file, e.g. archiveRoot: archives.");

            // Every image entry with a name (null when the rest of it is invalid), and who pushes each repository:tag.
            var named = new Dictionary<string, GoldenSetImage?>(StringComparer.Ordinal);
            var pushed = new Dictionary<string, string>(StringComparer.Ordinal);
            var imageNodes = List(Required(top, "", "images"), "images", nonEmpty: true);
            for (var i = 0; i < imageNodes.Count; i++)
            {
                var field = YamlDecoder.Index("images", i);
                var (name, image) = ReadImage(imageNodes[i], field, archiveRoot);
                if (name is null) continue;
                if (!named.TryAdd(name, image))
                {
                    d.Error(imageNodes[i], $"{field}.name", $"name '{name}' is used twice; expected unique names.");
                    continue;
                }
                if (image is null) continue;
                var sameArchive = images.FirstOrDefault(x => x.ArchivePath == image.ArchivePath && (x.Build is not null || image.Build is not null));
                if (sameArchive is not null)
                    d.Error(imageNodes[i], $"{field}.archive", $"archive '{image.Archive}' is also the archive of image '{sameArchive.Name}', and one of them builds it; expected one image per built archive.");
                foreach (var tag in image.Tags)
                    if (!pushed.TryAdd($"{image.Repository}:{tag}", image.Name))
                        d.Error(imageNodes[i], $"{field}.tags", $"{image.Repository}:{tag} is already pushed by image '{pushed[$"{image.Repository}:{tag}"]}'.");
                images.Add(image);
            }

            var listNodes = List(Optional(top, "manifestLists"), "manifestLists", nonEmpty: false);
            for (var i = 0; i < listNodes.Count; i++)
                if (ReadList(listNodes[i], YamlDecoder.Index("manifestLists", i), named, pushed) is { } list)
                    lists.Add(list);
            return (archiveRoot, images, lists);
        }

        // The image's name (null when it has none) and the image (null when a required part is missing or unreadable).
        private (string? Name, GoldenSetImage? Image) ReadImage(YNode node, string field, string? archiveRoot)
        {
            var map = d.RequiredMapping(node, field, ImageKeys);
            if (map is null) return (null, null);
            var nameNode = Required(map, field, "name");
            var name = Text(nameNode, $"{field}.name");
            if (name is not null && !NamePattern().IsMatch(name))
                d.Error(nameNode, $"{field}.name", $"'{name}' is not a valid name; expected [a-z0-9._-]+.");

            var archiveNode = Required(map, field, "archive");
            var archive = RelativePath(archiveNode, $"{field}.archive", "the archive root");
            // Without an archive root (an error already says so) the path stays relative: nothing is looked up.
            var archivePath = archive is null || archiveRoot is null ? archive : Path.Combine(archiveRoot, archive);
            var build = Optional(map, "build");
            if (build is null && archiveRoot is not null && archivePath is not null && InputFile.Problem(archivePath) is { } archiveProblem)
                d.Error(archiveNode, $"{field}.archive", $"archive {archivePath}: {archiveProblem} (archive root {archiveRoot}).");

            var repository = Repository(Required(map, field, "repository"), $"{field}.repository");

            var tagsNode = Optional(map, "tags");
            var tagNodes = List(tagsNode, $"{field}.tags", nonEmpty: false);
            var tags = new List<string>();
            foreach (var tagNode in tagNodes)
            {
                if (Tag(tagNode, $"{field}.tags") is not { } tag) continue;
                if (tags.Contains(tag)) d.Error(tagNode, $"{field}.tags", $"tag '{tag}' is listed twice.");
                else tags.Add(tag);
            }
            var tagless = d.Bool(map.Get("tagless"), $"{field}.tagless", missing: false);
            if (tagless && tagNodes.Count > 0)
                d.Error(tagsNode, $"{field}.tags", "a tagless image carries no tags; remove tags or tagless.");
            if (!tagless && tagsNode is null or YSequence { Items.Count: 0 })
                d.Error(node, $"{field}.tags", "expected at least one tag, or tagless: true for an image pushed by digest only.");

            var platform = ReadPlatform(Required(map, field, "platform"), $"{field}.platform");
            var buildSection = build is null
                ? null
                : ReadBuild(build, $"{field}.build", tagless ? [] : tags.Select(t => $"{repository}:{t}").ToList());
            var image = name is null || archive is null || repository is null || platform is null
                ? null
                : new GoldenSetImage(name, archive, archivePath!, repository, tags, platform, tagless, node.Line, buildSection);
            return (name, image);
        }

        private GoldenSetBuild? ReadBuild(YNode node, string field, IReadOnlyList<string> defaultRepoTags)
        {
            var map = d.RequiredMapping(node, field, BuildKeys);
            if (map is null) return null;
            var repoTags = defaultRepoTags;
            if (Optional(map, "repoTags") is { } repoTagsNode)
            {
                var list = new List<string>();
                foreach (var tagNode in List(repoTagsNode, $"{field}.repoTags", nonEmpty: false))
                {
                    if (Text(tagNode, $"{field}.repoTags") is not { } value) continue;
                    if (!IsRepoTag(value))
                        d.Error(tagNode, $"{field}.repoTags", $"'{value}' is not a repository:tag reference; expected e.g. golden-foo/foo:1.0 (no digest).");
                    else if (list.Contains(value))
                        d.Error(tagNode, $"{field}.repoTags", $"'{value}' is listed twice.");
                    else
                        list.Add(value);
                }
                repoTags = list;
            }
            var author = Text(Optional(map, "author"), $"{field}.author");
            var createdBy = Text(Optional(map, "createdBy"), $"{field}.createdBy");
            var zoneNode = Optional(map, "savedInTimeZone");
            var savedInTimeZone = zoneNode is null ? TimeSpan.Zero : TimeZoneOffset(zoneNode, $"{field}.savedInTimeZone");

            var layerNodes = List(Required(map, field, "layers"), $"{field}.layers", nonEmpty: true);
            var layers = new List<GoldenSetBuildLayer>();
            for (var i = 0; i < layerNodes.Count; i++)
            {
                var layerField = YamlDecoder.Index($"{field}.layers", i);
                var layer = d.RequiredMapping(layerNodes[i], layerField, LayerKeys);
                if (layer is null) continue;
                var fileNodes = List(Required(layer, layerField, "files"), $"{layerField}.files", nonEmpty: false);
                var files = new List<GoldenSetBuildFile>();
                var paths = new List<string>();
                for (var j = 0; j < fileNodes.Count; j++)
                    if (ReadFile(fileNodes[j], YamlDecoder.Index($"{layerField}.files", j), paths) is { } file)
                        files.Add(file);
                layers.Add(new GoldenSetBuildLayer(files, layerNodes[i].Line));
            }
            return savedInTimeZone is { } zone ? new GoldenSetBuild(layers, repoTags, author, createdBy, zone, node.Line) : null;
        }

        // One file of a layer; `paths` are the paths of the layer's files before it, which its path must not collide with.
        private GoldenSetBuildFile? ReadFile(YNode node, string field, List<string> paths)
        {
            var map = d.RequiredMapping(node, field, FileKeys);
            if (map is null) return null;
            var pathNode = Required(map, field, "path");
            var path = Text(pathNode, $"{field}.path");
            if (path is not null)
            {
                var other = paths.FirstOrDefault(o =>
                    o == path || o.StartsWith(path + "/", StringComparison.Ordinal) || path.StartsWith(o + "/", StringComparison.Ordinal));
                if (path.Split('/').Any(s => s is "" or "." or ".." || s.Contains('\\')))
                    d.Error(pathNode, $"{field}.path", $"'{path}' is not a path in the image; expected a relative '/'-separated path like golden/foo/1.0, without empty, '.' or '..' segments.");
                else if (System.Text.Encoding.UTF8.GetByteCount("./" + path) > 100)
                    d.Error(pathNode, $"{field}.path", $"'{path}' is too long; the layer tar name './{path}' must be at most 100 bytes.");
                else if (other is not null)
                    d.Error(pathNode, $"{field}.path", $"'{path}' collides with '{other}' in the same layer; expected each file once and no file inside another file.");
                paths.Add(path);
            }

            var sourceNode = Required(map, field, "source");
            var source = RelativePath(sourceNode, $"{field}.source", "the golden set file's folder");
            var sourcePath = source is null ? null : Path.Combine(setFolder, source);
            if (sourcePath is not null && InputFile.Problem(sourcePath) is { } sourceProblem)
                d.Error(sourceNode, $"{field}.source", $"source file {sourcePath}: {sourceProblem} (relative to {setFolder}).");

            int? mode = LayerFile.ReadOnlyExecutableMode;
            if (Optional(map, "mode") is { } modeNode && Text(modeNode, $"{field}.mode") is { } text)
            {
                mode = ModePattern().IsMatch(text) ? Convert.ToInt32(text, 8) : null;
                if (mode is null)
                    d.Error(modeNode, $"{field}.mode", $"'{text}' is not a permission mode; expected 3 or 4 octal digits, e.g. \"0555\" or \"0644\".");
            }
            return path is null || source is null || mode is null ? null : new GoldenSetBuildFile(path, source, sourcePath!, mode.Value, node.Line);
        }

        private GoldenSetManifestList? ReadList(YNode node, string field, Dictionary<string, GoldenSetImage?> named, Dictionary<string, string> pushed)
        {
            var map = d.RequiredMapping(node, field, ListKeys);
            if (map is null) return null;
            var repository = Repository(Required(map, field, "repository"), $"{field}.repository");
            var tagNode = Required(map, field, "tag");
            var tag = Tag(tagNode, $"{field}.tag");
            if (repository is not null && tag is not null && !pushed.TryAdd($"{repository}:{tag}", field))
                d.Error(tagNode, $"{field}.tag", $"{repository}:{tag} is already pushed by '{pushed[$"{repository}:{tag}"]}'.");

            var entryNodes = List(Required(map, field, "entries"), $"{field}.entries", nonEmpty: true);
            var entries = new List<GoldenSetListEntry>();
            var platforms = new List<Platform>();
            for (var j = 0; j < entryNodes.Count; j++)
            {
                var entryField = YamlDecoder.Index($"{field}.entries", j);
                var entry = d.RequiredMapping(entryNodes[j], entryField, EntryKeys);
                if (entry is null) continue;
                var imageNode = Required(entry, entryField, "image");
                var name = Text(imageNode, $"{entryField}.image");
                var platformNode = Optional(entry, "platform");
                var platform = platformNode is null ? null : ReadPlatform(platformNode, $"{entryField}.platform");
                if (name is null) continue;
                if (!named.TryGetValue(name, out var image))
                    d.Error(imageNode, $"{entryField}.image", $"no image named '{name}'; expected one of {string.Join(", ", named.Keys)}.");
                else if (image is not null && repository is not null && image.Repository != repository)
                    d.Error(imageNode, $"{entryField}.image", $"image '{name}' is pushed to {image.Repository}; a manifest list can only name manifests in its own repository {repository}.");
                else if (image is not null)
                    platforms.Add(platform ?? image.Platform);
                entries.Add(new GoldenSetListEntry(name, platform, entryNodes[j].Line));
            }
            var duplicate = platforms.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                d.Error(node, $"{field}.entries", $"platform {duplicate.Key} appears {duplicate.Count()} times; expected each platform once.");
            return repository is null || tag is null ? null : new GoldenSetManifestList(repository, tag, entries, node.Line);
        }

        /// <summary>The value of a key the golden set requires; a missing key is an error at its mapping.</summary>
        private YNode? Required(YMapping map, string field, string key)
        {
            var value = map.Get(key);
            if (value is null)
                d.Error(map, $"{(field.Length == 0 ? "(document)" : field)}.{key}", $"required key '{key}' is missing.");
            return value;
        }

        /// <summary>The value of an optional key; null when it is missing or written as YAML null (<c>~</c>, nothing).</summary>
        private static YNode? Optional(YMapping map, string key) => map.Get(key) is { } value && value is not YScalar { IsNull: true } ? value : null;

        /// <summary>A list (<see cref="YamlDecoder.Sequence"/>), which a required one must not leave empty.</summary>
        private List<YNode> List(YNode? node, string field, bool nonEmpty)
        {
            var items = d.Sequence(node, field);
            if (nonEmpty && node is YSequence { Items.Count: 0 } or YScalar { IsNull: true })
                d.Error(node, field, "expected a non-empty list.");
            return items;
        }

        /// <summary>The text of a scalar (<see cref="YamlDecoder.String"/>), which must not be empty or null; null for a missing node.</summary>
        private string? Text(YNode? node, string field)
        {
            var value = d.String(node, field);
            if (value is "" || node is YScalar { IsNull: true })
            {
                d.Error(node, field, "expected a non-empty text value.");
                return null;
            }
            return value;
        }

        /// <summary>A relative path without '..' segments (archive, source, archiveRoot).</summary>
        private string? RelativePath(YNode? node, string field, string relativeTo)
        {
            var value = Text(node, field);
            if (value is not null && (Path.IsPathRooted(value) || value.Split('/', '\\').Contains("..")))
            {
                d.Error(node, field, $"'{value}' must be a path relative to {relativeTo}, without '..'.");
                return null;
            }
            return value;
        }

        /// <summary>A repository path without registry (<see cref="RepositoryName"/>), e.g. <c>golden-foo/foo</c>.</summary>
        private string? Repository(YNode? node, string field)
        {
            var value = Text(node, field);
            if (value is not null && RepositoryName.Problem(value) is { } problem)
            {
                d.Error(node, field, $"'{value}' is not a repository name: {problem}; expected a repository path without registry, tag or digest, e.g. golden-foo/foo.");
                return null;
            }
            return value;
        }

        /// <summary>A tag (<see cref="ImageReference.IsValidTag"/>).</summary>
        private string? Tag(YNode? node, string field)
        {
            var value = Text(node, field);
            if (value is not null && !ImageReference.IsValidTag(value))
            {
                d.Error(node, field, $"'{value}' is not a valid tag; expected [A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}}.");
                return null;
            }
            return value;
        }

        /// <summary><c>os/architecture[/variant]</c> (<see cref="Platform.Parse"/>).</summary>
        private Platform? ReadPlatform(YNode? node, string field)
        {
            if (Text(node, field) is not { } value) return null;
            try { return Platform.Parse(value); }
            catch (FormatException e)
            {
                d.Error(node, field, e.Message);
                return null;
            }
        }

        /// <summary>A UTC offset written <c>Z</c> or <c>+hh:mm</c> / <c>-hh:mm</c> (hours 00-23, minutes 00-59).</summary>
        private TimeSpan? TimeZoneOffset(YNode node, string field)
        {
            var value = Text(node, field);
            if (value is null) return null;
            if (value == "Z") return TimeSpan.Zero;
            var match = OffsetPattern().Match(value);
            if (!match.Success)
            {
                d.Error(node, field, $"'{value}' is not a UTC offset; expected Z or +hh:mm / -hh:mm (hours 00-23, minutes 00-59), e.g. \"-05:00\".");
                return null;
            }
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            var offset = new TimeSpan(int.Parse(match.Groups["h"].Value, invariant), int.Parse(match.Groups["m"].Value, invariant), 0);
            return match.Groups["sign"].Value == "-" ? -offset : offset;
        }

        /// <summary>
        /// A <c>manifest.json</c> RepoTag: <c>repository:tag</c>, with a registry (<c>gcr.io/x/y:1</c>) or without one
        /// (<c>golden-foo/foo:1.0</c>, Docker Hub style), no digest (<see cref="ImageReference.Parse"/>).
        /// </summary>
        private static bool IsRepoTag(string value)
        {
            foreach (var text in new[] { value, "registry.invalid/" + value })
            {
                try
                {
                    var parsed = ImageReference.Parse(text);
                    return parsed.Tag is not null && parsed.Digest is null;
                }
                catch (FormatException) { }
            }
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9._-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-7]{3,4}$")]
    private static partial Regex ModePattern();

    [GeneratedRegex("^(?<sign>[+-])(?<h>[01][0-9]|2[0-3]):(?<m>[0-5][0-9])$")]
    private static partial Regex OffsetPattern();
}
