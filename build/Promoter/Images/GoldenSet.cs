using System.Text.RegularExpressions;
using Promoter.Inputs;
using Promoter.Oci;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Promoter.Images;

/// <summary>A golden set file is malformed or inconsistent; the message names the file, line and field.</summary>
public sealed class GoldenSetException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The YAML file.</param>
    /// <param name="line">1-based line of the offending node (0 when not known).</param>
    /// <param name="field">The field path, e.g. <c>images[2].platform</c>.</param>
    /// <param name="message">What was wrong and what was expected.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public GoldenSetException(string file, int line, string field, string message, Exception? inner = null)
        : base($"{file}:{line}: {field}: {message}", inner)
    {
        File = file;
        Line = line;
        Field = field;
    }

    /// <summary>The YAML file.</summary>
    public string File { get; }

    /// <summary>1-based line number.</summary>
    public int Line { get; }

    /// <summary>The field path.</summary>
    public string Field { get; }
}

/// <summary>One image of a golden set.</summary>
/// <param name="Name">Unique name, used by manifest list entries.</param>
/// <param name="Archive">Path of the docker save archive, relative to the archive root, as written in the file.</param>
/// <param name="ArchivePath">Full path of the archive (archive root + <paramref name="Archive"/>).</param>
/// <param name="Repository">Repository path to push to, e.g. <c>golden-foo/foo</c> (no registry).</param>
/// <param name="Tags">Tags to leave on the pushed manifest (empty when <paramref name="Tagless"/>).</param>
/// <param name="Platform">The platform the image config declares (checked when the archive is opened).</param>
/// <param name="Tagless">True when the image ends in the registry by digest only, with no tag.</param>
/// <param name="Line">Line of the entry in the YAML file.</param>
/// <param name="Build">How the archive is built from source, or null for an archive that is only committed.</param>
public sealed record GoldenSetImage(string Name, string Archive, string ArchivePath, string Repository,
    IReadOnlyList<string> Tags, Platform Platform, bool Tagless, int Line, GoldenSetBuild? Build = null);

/// <summary>
/// The <c>build:</c> section of a golden set image: how <see cref="GoldenImageWriter"/> writes its archive. The config's
/// architecture, os and variant are the image's <see cref="GoldenSetImage.Platform"/>, so the two cannot disagree.
/// </summary>
/// <param name="Layers">The layers, base first (at least one).</param>
/// <param name="RepoTags">The <c>manifest.json</c> RepoTags (<c>repository:tag</c>); empty writes <c>"RepoTags":null</c>.</param>
/// <param name="Author">The config's and history's <c>author</c>, or null.</param>
/// <param name="CreatedBy">Each history entry's <c>created_by</c>, or null.</param>
/// <param name="SavedInTimeZone">The UTC offset of the zone the archive is "saved in" (<see cref="GoldenImage.SavedInTimeZone"/>); zero when not given.</param>
/// <param name="Line">Line of the <c>build:</c> mapping in the YAML file.</param>
public sealed record GoldenSetBuild(IReadOnlyList<GoldenSetBuildLayer> Layers, IReadOnlyList<string> RepoTags,
    string? Author, string? CreatedBy, TimeSpan SavedInTimeZone, int Line);

/// <summary>One layer of a <see cref="GoldenSetBuild"/>.</summary>
/// <param name="Files">The files of the layer (empty: an empty layer tar, as upstream's second layer).</param>
/// <param name="Line">Line of the layer in the YAML file.</param>
public sealed record GoldenSetBuildLayer(IReadOnlyList<GoldenSetBuildFile> Files, int Line);

/// <summary>One file of a <see cref="GoldenSetBuildLayer"/>.</summary>
/// <param name="Path">Path inside the image, e.g. <c>golden/foo/linux_s390x/1.0-linux_s390x</c> (relative, '/'-separated).</param>
/// <param name="Source">The source file as written in the YAML, relative to the golden set file's folder, e.g. <c>src/foo/linux_s390x/1.0-linux_s390x</c>.</param>
/// <param name="SourcePath">Full path of the source file.</param>
/// <param name="Mode">Permission bits (0 to 07777 octal); default 0555.</param>
/// <param name="Line">Line of the file entry in the YAML file.</param>
public sealed record GoldenSetBuildFile(string Path, string Source, string SourcePath, int Mode, int Line);

/// <summary>One entry of a golden manifest list.</summary>
/// <param name="Image">The <see cref="GoldenSetImage.Name"/> of the image.</param>
/// <param name="Platform">Platform to record in the list instead of the config's, or null.</param>
/// <param name="Line">Line of the entry in the YAML file.</param>
public sealed record GoldenSetListEntry(string Image, Platform? Platform, int Line);

/// <summary>A manifest list of a golden set.</summary>
/// <param name="Repository">Repository path of the list (the same as its images').</param>
/// <param name="Tag">The tag of the list.</param>
/// <param name="Entries">The entries, in list order.</param>
/// <param name="Line">Line of the list in the YAML file.</param>
public sealed record GoldenSetManifestList(string Repository, string Tag, IReadOnlyList<GoldenSetListEntry> Entries, int Line);

/// <summary>
/// A golden set: which archives to push to the source registry, under which repository and tags, and which manifest
/// lists to build over them. Read from YAML (strict: unknown keys, wrong types, bad values are errors naming
/// file:line and field). Format (see <c>images/golden/golden.yaml</c> and <c>images/golden/upstream/golden.yaml</c>):
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
    /// <exception cref="GoldenSetException">As <see cref="Load(string, string)"/>, or the file has no <c>archiveRoot</c> key.</exception>
    /// <exception cref="InputFileException">As <see cref="Load(string, string)"/>.</exception>
    public static GoldenSet Load(string yamlPath) => LoadCore(yamlPath, null);

    /// <summary>Reads and validates a golden set file.</summary>
    /// <param name="yamlPath">The YAML file.</param>
    /// <param name="archiveRoot">The folder archive paths are relative to (wins over the file's <c>archiveRoot</c> key).</param>
    /// <exception cref="InputFileException">The file is missing, not a regular file, or over <see cref="InputFile.MaxTextBytes"/>.</exception>
    /// <exception cref="GoldenSetException">Unreadable YAML, an unknown key, a missing or invalid field, a missing committed-only
    /// archive, a missing build source, a duplicate name, repository:tag or built archive path, or a list entry naming an
    /// unknown image or one in another repository.</exception>
    public static GoldenSet Load(string yamlPath, string archiveRoot) => LoadCore(yamlPath, archiveRoot);

    private static GoldenSet LoadCore(string yamlPath, string? archiveRoot)
    {
        var text = InputFile.ReadAllText(yamlPath);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new GoldenSetException(yamlPath, (int)e.Start.Line, "(yaml)", $"not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count != 1)
            throw new GoldenSetException(yamlPath, 1, "(file)", $"expected exactly one YAML document, found {stream.Documents.Count}.");
        var root = stream.Documents[0].RootNode;
        var setFolder = Path.GetDirectoryName(Path.GetFullPath(yamlPath))!;
        var parser = new Parser(yamlPath, setFolder);
        var archiveFolder = archiveRoot is not null ? Path.GetFullPath(archiveRoot) : parser.ArchiveRootKey(root);
        var (images, lists) = parser.Read(root, archiveFolder);
        return new GoldenSet(yamlPath, archiveFolder, images, lists);
    }

    /// <summary>
    /// Opens and verifies every archive and builds its pushable image, checking that each config declares the
    /// platform the file says.
    /// </summary>
    /// <returns>The pushable images by <see cref="GoldenSetImage.Name"/>.</returns>
    /// <exception cref="ImageArchiveException">An archive fails verification.</exception>
    /// <exception cref="GoldenSetException">A config declares another platform than the file says.</exception>
    public IReadOnlyDictionary<string, PushableImage> OpenImages()
    {
        var result = new Dictionary<string, PushableImage>(StringComparer.Ordinal);
        foreach (var image in Images)
        {
            var pushable = PushableImage.FromDockerArchive(image.ArchivePath);
            if (pushable.Platform != image.Platform)
                throw new GoldenSetException(File, image.Line, $"images[{image.Name}].platform",
                    $"the file says {image.Platform} but the config of {image.Archive} declares {pushable.Platform}; use a manifest list platform override to record another platform.");
            result[image.Name] = pushable;
        }
        return result;
    }

    /// <summary>Builds the manifest list <paramref name="list"/> from images opened by <see cref="OpenImages"/>.</summary>
    /// <exception cref="KeyNotFoundException">An entry's image is not in <paramref name="images"/>.</exception>
    public static PushableIndex BuildManifestList(GoldenSetManifestList list, IReadOnlyDictionary<string, PushableImage> images) =>
        PushableIndex.Create(list.Entries.Select(e => new PushableIndexEntry(images[e.Image], e.Platform)).ToList());

    private sealed class Parser(string file, string setFolder)
    {
        private static readonly string[] TopKeys = ["images", "manifestLists", "archiveRoot"];

        /// <summary>The full path of the <c>archiveRoot</c> key (relative to the set's folder).</summary>
        public string ArchiveRootKey(YamlNode root)
        {
            var top = Mapping(root, "(document)", TopKeys);
            if (!top.TryGetValue("archiveRoot", out var node))
                throw Error(root, "(document).archiveRoot", "no archive root was given and the file has no 'archiveRoot' key; expected a folder relative to the file, e.g. archiveRoot: archives.");
            return Path.Combine(setFolder, RelativePath(node, "archiveRoot", "the golden set file's folder"));
        }

        public (List<GoldenSetImage>, List<GoldenSetManifestList>) Read(YamlNode root, string archiveRoot)
        {
            var top = Mapping(root, "(document)", TopKeys);
            if (top.TryGetValue("archiveRoot", out var archiveRootNode)) RelativePath(archiveRootNode, "archiveRoot", "the golden set file's folder");
            var imagesNode = Required(top, root, "(document)", "images");
            var images = new List<GoldenSetImage>();
            var pushed = new Dictionary<string, string>(StringComparer.Ordinal);
            var imageNodes = Sequence(imagesNode, "images", nonEmpty: true);
            for (var i = 0; i < imageNodes.Count; i++)
            {
                var image = ReadImage(imageNodes[i], $"images[{i}]", archiveRoot);
                if (images.Any(x => x.Name == image.Name))
                    throw Error(imageNodes[i], $"images[{i}].name", $"name '{image.Name}' is used twice; expected unique names.");
                var sameArchive = images.FirstOrDefault(x => x.ArchivePath == image.ArchivePath && (x.Build is not null || image.Build is not null));
                if (sameArchive is not null)
                    throw Error(imageNodes[i], $"images[{i}].archive", $"archive '{image.Archive}' is also the archive of image '{sameArchive.Name}', and one of them builds it; expected one image per built archive.");
                foreach (var tag in image.Tags)
                    if (!pushed.TryAdd($"{image.Repository}:{tag}", image.Name))
                        throw Error(imageNodes[i], $"images[{i}].tags", $"{image.Repository}:{tag} is already pushed by image '{pushed[$"{image.Repository}:{tag}"]}'.");
                images.Add(image);
            }

            var lists = new List<GoldenSetManifestList>();
            if (top.TryGetValue("manifestLists", out var listsNode))
            {
                var listNodes = Sequence(listsNode, "manifestLists", nonEmpty: false);
                for (var i = 0; i < listNodes.Count; i++)
                {
                    var field = $"manifestLists[{i}]";
                    var list = Mapping(listNodes[i], field, ["repository", "tag", "entries"]);
                    var repository = Repository(Required(list, listNodes[i], field, "repository"), $"{field}.repository");
                    var tagNode = Required(list, listNodes[i], field, "tag");
                    var tag = Tag(tagNode, $"{field}.tag");
                    if (!pushed.TryAdd($"{repository}:{tag}", field))
                        throw Error(tagNode, $"{field}.tag", $"{repository}:{tag} is already pushed by '{pushed[$"{repository}:{tag}"]}'.");
                    var entryNodes = Sequence(Required(list, listNodes[i], field, "entries"), $"{field}.entries", nonEmpty: true);
                    var entries = new List<GoldenSetListEntry>();
                    for (var j = 0; j < entryNodes.Count; j++)
                    {
                        var entryField = $"{field}.entries[{j}]";
                        var entry = Mapping(entryNodes[j], entryField, ["image", "platform"]);
                        var imageNode = Required(entry, entryNodes[j], entryField, "image");
                        var name = Scalar(imageNode, $"{entryField}.image");
                        var image = images.FirstOrDefault(x => x.Name == name);
                        if (image is null)
                            throw Error(imageNode, $"{entryField}.image", $"no image named '{name}'; expected one of {string.Join(", ", images.Select(x => x.Name))}.");
                        if (image!.Repository != repository)
                            throw Error(imageNode, $"{entryField}.image", $"image '{name}' is pushed to {image.Repository}; a manifest list can only name manifests in its own repository {repository}.");
                        Platform? platform = entry.TryGetValue("platform", out var p) ? ParsePlatform(p, $"{entryField}.platform") : null;
                        entries.Add(new GoldenSetListEntry(name, platform, Line(entryNodes[j])));
                    }
                    var duplicate = entries.GroupBy(e => e.Platform ?? images.First(x => x.Name == e.Image).Platform).FirstOrDefault(g => g.Count() > 1);
                    if (duplicate is not null)
                        throw Error(listNodes[i], $"{field}.entries", $"platform {duplicate.Key} appears {duplicate.Count()} times; expected each platform once.");
                    lists.Add(new GoldenSetManifestList(repository, tag, entries, Line(listNodes[i])));
                }
            }
            return (images, lists);
        }

        private GoldenSetImage ReadImage(YamlNode node, string field, string archiveRoot)
        {
            var map = Mapping(node, field, ["name", "archive", "repository", "tags", "platform", "tagless", "build"]);
            var nameNode = Required(map, node, field, "name");
            var name = Scalar(nameNode, $"{field}.name");
            if (!NamePattern().IsMatch(name))
                throw Error(nameNode, $"{field}.name", $"'{name}' is not a valid name; expected [a-z0-9._-]+.");
            var archiveNode = Required(map, node, field, "archive");
            var archive = RelativePath(archiveNode, $"{field}.archive", "the archive root");
            var archivePath = Path.Combine(archiveRoot, archive);
            if (!map.ContainsKey("build") && InputFile.Problem(archivePath) is { } archiveProblem)
                throw Error(archiveNode, $"{field}.archive", $"archive {archivePath}: {archiveProblem} (archive root {archiveRoot}).");
            var repository = Repository(Required(map, node, field, "repository"), $"{field}.repository");
            var tags = new List<string>();
            if (map.TryGetValue("tags", out var tagsNode))
            {
                foreach (var tagNode in Sequence(tagsNode, $"{field}.tags", nonEmpty: false))
                {
                    var tag = Tag(tagNode, $"{field}.tags");
                    if (tags.Contains(tag)) throw Error(tagNode, $"{field}.tags", $"tag '{tag}' is listed twice.");
                    tags.Add(tag);
                }
            }
            var tagless = false;
            if (map.TryGetValue("tagless", out var taglessNode))
            {
                var text = Scalar(taglessNode, $"{field}.tagless");
                if (text is not ("true" or "false"))
                    throw Error(taglessNode, $"{field}.tagless", $"'{text}' is not a boolean; expected true or false.");
                tagless = text == "true";
            }
            if (tagless && tags.Count > 0)
                throw Error(tagsNode!, $"{field}.tags", "a tagless image carries no tags; remove tags or tagless.");
            if (!tagless && tags.Count == 0)
                throw Error(node, $"{field}.tags", "expected at least one tag, or tagless: true for an image pushed by digest only.");
            var platform = ParsePlatform(Required(map, node, field, "platform"), $"{field}.platform");
            var build = map.TryGetValue("build", out var buildNode)
                ? ReadBuild(buildNode, $"{field}.build", tagless ? [] : tags.Select(t => $"{repository}:{t}").ToList())
                : null;
            return new GoldenSetImage(name, archive, archivePath, repository, tags, platform, tagless, Line(node), build);
        }

        private GoldenSetBuild ReadBuild(YamlNode node, string field, IReadOnlyList<string> defaultRepoTags)
        {
            var map = Mapping(node, field, ["repoTags", "author", "createdBy", "savedInTimeZone", "layers"]);
            var repoTags = defaultRepoTags;
            if (map.TryGetValue("repoTags", out var repoTagsNode))
            {
                var list = new List<string>();
                foreach (var tagNode in Sequence(repoTagsNode, $"{field}.repoTags", nonEmpty: false))
                {
                    var value = Scalar(tagNode, $"{field}.repoTags");
                    ImageReference? parsed = null;
                    // A RepoTag may name a registry (gcr.io/x/y:1) or not (golden-foo/foo:1.0, Docker Hub style).
                    try { parsed = ImageReference.Parse(value); }
                    catch (FormatException)
                    {
                        try { parsed = ImageReference.Parse("registry.invalid/" + value); } catch (FormatException) { }
                    }
                    if (parsed is null || parsed.Tag is null || parsed.Digest is not null)
                        throw Error(tagNode, $"{field}.repoTags", $"'{value}' is not a repository:tag reference; expected e.g. golden-foo/foo:1.0 (no digest).");
                    if (list.Contains(value)) throw Error(tagNode, $"{field}.repoTags", $"'{value}' is listed twice.");
                    list.Add(value);
                }
                repoTags = list;
            }
            string? author = map.TryGetValue("author", out var authorNode) ? Scalar(authorNode, $"{field}.author") : null;
            string? createdBy = map.TryGetValue("createdBy", out var createdByNode) ? Scalar(createdByNode, $"{field}.createdBy") : null;
            var savedInTimeZone = map.TryGetValue("savedInTimeZone", out var zoneNode) ? TimeZoneOffset(zoneNode, $"{field}.savedInTimeZone") : TimeSpan.Zero;

            var layerNodes = Sequence(Required(map, node, field, "layers"), $"{field}.layers", nonEmpty: true);
            var layers = new List<GoldenSetBuildLayer>();
            for (var i = 0; i < layerNodes.Count; i++)
            {
                var layerField = $"{field}.layers[{i}]";
                var layer = Mapping(layerNodes[i], layerField, ["files"]);
                var fileNodes = Sequence(Required(layer, layerNodes[i], layerField, "files"), $"{layerField}.files", nonEmpty: false);
                var files = new List<GoldenSetBuildFile>();
                var paths = new HashSet<string>(StringComparer.Ordinal);
                for (var j = 0; j < fileNodes.Count; j++)
                {
                    var fileField = $"{layerField}.files[{j}]";
                    var entry = Mapping(fileNodes[j], fileField, ["path", "source", "mode"]);
                    var pathNode = Required(entry, fileNodes[j], fileField, "path");
                    var path = Scalar(pathNode, $"{fileField}.path");
                    var segments = path.Split('/');
                    if (segments.Any(s => s is "" or "." or ".." || s.Contains('\\')))
                        throw Error(pathNode, $"{fileField}.path", $"'{path}' is not a path in the image; expected a relative '/'-separated path like golden/foo/1.0, without empty, '.' or '..' segments.");
                    if (System.Text.Encoding.UTF8.GetByteCount("./" + path) > 100)
                        throw Error(pathNode, $"{fileField}.path", $"'{path}' is too long; the layer tar name './{path}' must be at most 100 bytes.");
                    foreach (var other in paths)
                        if (other == path || other.StartsWith(path + "/", StringComparison.Ordinal) || path.StartsWith(other + "/", StringComparison.Ordinal))
                            throw Error(pathNode, $"{fileField}.path", $"'{path}' collides with '{other}' in the same layer; expected each file once and no file inside another file.");
                    paths.Add(path);
                    var sourceNode = Required(entry, fileNodes[j], fileField, "source");
                    var source = RelativePath(sourceNode, $"{fileField}.source", "the golden set file's folder");
                    var sourcePath = Path.Combine(setFolder, source);
                    if (InputFile.Problem(sourcePath) is { } sourceProblem)
                        throw Error(sourceNode, $"{fileField}.source", $"source file {sourcePath}: {sourceProblem} (relative to {setFolder}).");
                    var mode = GoldenFile.ReadOnlyMode;
                    if (entry.TryGetValue("mode", out var modeNode))
                    {
                        var text = Scalar(modeNode, $"{fileField}.mode");
                        if (!ModePattern().IsMatch(text))
                            throw Error(modeNode, $"{fileField}.mode", $"'{text}' is not a permission mode; expected 3 or 4 octal digits, e.g. \"0555\" or \"0644\".");
                        mode = Convert.ToInt32(text, 8);
                    }
                    files.Add(new GoldenSetBuildFile(path, source, sourcePath, mode, Line(fileNodes[j])));
                }
                layers.Add(new GoldenSetBuildLayer(files, Line(layerNodes[i])));
            }
            return new GoldenSetBuild(layers, repoTags, author, createdBy, savedInTimeZone, Line(node));
        }

        /// <summary>A relative path without '..' segments (archive, source, archiveRoot).</summary>
        private string RelativePath(YamlNode node, string field, string relativeTo)
        {
            var value = Scalar(node, field);
            if (Path.IsPathRooted(value) || value.Split('/', '\\').Contains(".."))
                throw Error(node, field, $"'{value}' must be a path relative to {relativeTo}, without '..'.");
            return value;
        }

        private Dictionary<string, YamlNode> Mapping(YamlNode node, string field, string[] allowed)
        {
            if (node is not YamlMappingNode mapping)
                throw Error(node, field, $"expected a mapping with keys {string.Join(", ", allowed)}.");
            var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in ((YamlMappingNode)node).Children)
            {
                var key = keyNode is YamlScalarNode { Value: { } k } ? k : "";
                if (!allowed.Contains(key))
                    throw Error(keyNode, $"{field}.{key}", $"unknown key '{key}'; expected one of {string.Join(", ", allowed)}.");
                result[key] = value;
            }
            return result;
        }

        private YamlNode Required(Dictionary<string, YamlNode> map, YamlNode owner, string field, string key) =>
            map.TryGetValue(key, out var value) ? value : throw Error(owner, $"{field}.{key}", $"required key '{key}' is missing.");

        private IReadOnlyList<YamlNode> Sequence(YamlNode node, string field, bool nonEmpty)
        {
            if (node is not YamlSequenceNode sequence)
                throw Error(node, field, "expected a list.");
            if (nonEmpty && sequence.Children.Count == 0)
                throw Error(node, field, "expected a non-empty list.");
            return sequence.Children.ToList();
        }

        private string Scalar(YamlNode node, string field) =>
            node is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw Error(node, field, "expected a non-empty text value.");

        private string Repository(YamlNode node, string field)
        {
            var value = Scalar(node, field);
            try
            {
                var parsed = ImageReference.Parse("registry.invalid/" + value);
                if (parsed.Tag is null && parsed.Digest is null) return value;
            }
            catch (FormatException) { }
            throw Error(node, field, $"'{value}' is not a repository path; expected lower-case components separated by '/', no registry, tag or digest (e.g. golden-foo/foo).");
        }

        private string Tag(YamlNode node, string field)
        {
            var value = Scalar(node, field);
            return ImageReference.IsValidTag(value) ? value : throw Error(node, field, $"'{value}' is not a valid tag; expected [A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}}.");
        }

        private Platform ParsePlatform(YamlNode node, string field)
        {
            var value = Scalar(node, field);
            var parts = value.Split('/');
            if (parts.Length is < 2 or > 3 || parts.Any(p => !PlatformPart().IsMatch(p)))
                throw Error(node, field, $"'{value}' is not a platform; expected os/architecture[/variant], e.g. linux/amd64.");
            return new Platform(parts[1], parts[0], parts.Length == 3 ? parts[2] : null);
        }

        /// <summary>A UTC offset written <c>Z</c> or <c>+hh:mm</c> / <c>-hh:mm</c> (hours 00-23, minutes 00-59).</summary>
        private TimeSpan TimeZoneOffset(YamlNode node, string field)
        {
            var value = Scalar(node, field);
            if (value == "Z") return TimeSpan.Zero;
            var match = OffsetPattern().Match(value);
            if (!match.Success)
                throw Error(node, field, $"'{value}' is not a UTC offset; expected Z or +hh:mm / -hh:mm (hours 00-23, minutes 00-59), e.g. \"-05:00\".");
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            var offset = new TimeSpan(int.Parse(match.Groups["h"].Value, invariant), int.Parse(match.Groups["m"].Value, invariant), 0);
            return match.Groups["sign"].Value == "-" ? -offset : offset;
        }

        private static int Line(YamlNode node) => (int)node.Start.Line;

        private GoldenSetException Error(YamlNode node, string field, string message) => new(file, Line(node), field, message);
    }

    [GeneratedRegex("^[a-z0-9._-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex PlatformPart();

    [GeneratedRegex("^[0-7]{3,4}$")]
    private static partial Regex ModePattern();

    [GeneratedRegex("^(?<sign>[+-])(?<h>[01][0-9]|2[0-3]):(?<m>[0-5][0-9])$")]
    private static partial Regex OffsetPattern();
}
