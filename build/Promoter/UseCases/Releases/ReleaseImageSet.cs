using Promoter.Inputs;
using Promoter.Oci;
using Promoter.Yaml;

namespace Promoter.Releases;

/// <summary>
/// The release image definitions (<c>images/release/release.yaml</c>). Strict YAML: unknown keys, wrong types,
/// missing fields and missing source files are errors naming file, line and field. Format:
/// <code>
/// images:                          # required, non-empty
///   - repository: promoter         # required, unique; lowercase path components [a-z0-9]+([._-][a-z0-9]+)* joined by '/'
///     platform: linux/amd64        # required, os/architecture[/variant]
///     oci:                         # the oci engine's daemonless build (optional if docker is given)
///       base: scratch              # optional, default scratch; or a docker save archive relative to this file
///       entrypoint: ["/promoter"]  # optional config Entrypoint
///       layers:                    # required, non-empty; each layer is written deterministically
///         - source: promoter/rootfs   # required: a folder (its content) or a file, relative to this file
///           target: ""             # optional folder in the image, default the root
///     docker:                      # the docker engine's build (optional if oci is given)
///       dockerfile: promoter/Dockerfile   # required, relative to this file
///       context: promoter          # optional, default: the Dockerfile's folder
/// </code>
/// One platform per repository: the release tags <c>v&lt;version&gt;</c> on each repository's single image.
/// </summary>
public sealed partial class ReleaseImageSet
{
    private ReleaseImageSet(string file, IReadOnlyList<ReleaseImage> images)
    {
        File = file;
        Images = images;
    }

    /// <summary>The definition file.</summary>
    public string File { get; }

    /// <summary>The images, in file order.</summary>
    public IReadOnlyList<ReleaseImage> Images { get; }

    /// <summary>Reads and validates a definition file.</summary>
    /// <exception cref="InputFormatException">The file is missing or not a regular file, not YAML, or invalid (every problem listed).</exception>
    public static ReleaseImageSet Load(string path)
    {
        string text;
        try { text = InputFile.ReadAllText(path); }
        catch (InputFileException e) { throw new InputFormatException(path, 0, "", e.Reason, e); }
        return Parse(text, path);
    }

    /// <summary>Parses definition text; relative paths resolve against <paramref name="file"/>'s folder.</summary>
    /// <exception cref="InputFormatException">The text is not YAML or is invalid (every problem listed).</exception>
    public static ReleaseImageSet Parse(string yaml, string file)
    {
        var root = YamlTree.Parse(yaml, file);

        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var d = new YamlDecoder(file);
        var top = d.Mapping(root, "", "images");
        if (top is null)
        {
            d.Error(root, "(document)", "expected a mapping with the key images");
            throw new InputFormatException(d.Errors);
        }
        var items = d.Sequence(top.Get("images"), "images");
        if (items.Count == 0) d.Error(top.Get("images") ?? top, "images", "must list at least one image");

        var images = new List<ReleaseImage>();
        for (var i = 0; i < items.Count; i++)
        {
            var image = ReadImage(d, items[i], $"images[{i}]", folder);
            if (image is null) continue;
            if (images.FirstOrDefault(x => x.Repository == image.Repository) is { } other)
                d.Error(items[i], $"images[{i}].repository", $"repository '{image.Repository}' is also defined at line {other.Line}; expected one image per repository");
            else images.Add(image);
        }
        if (d.Errors.Count > 0) throw new InputFormatException(d.Errors);
        return new ReleaseImageSet(file, images);
    }

    /// <summary>Checks that every image can be built by <paramref name="engine"/> (<c>oci</c> or <c>docker</c>).</summary>
    /// <exception cref="InputFormatException">An image has no section for the engine.</exception>
    public void RequireEngine(string engine)
    {
        var errors = Images
            .Where(i => engine == "docker" ? i.Docker is null : i.Oci is null)
            .Select(i => new ManifestError(new SourceLocation(File, i.Line, $"images[{i.Repository}].{engine}"),
                $"the {engine} engine is selected but this image has no '{engine}:' section"))
            .ToList();
        if (errors.Count > 0) throw new InputFormatException(errors);
    }

    /// <summary>Parses <c>os/architecture[/variant]</c>.</summary>
    /// <returns>Null when the text does not have that shape.</returns>
    public static Platform? ParsePlatform(string text)
    {
        try { return Platform.Parse(text); }
        catch (FormatException) { return null; }
    }

    private static ReleaseImage? ReadImage(YamlDecoder d, YNode node, string field, string folder)
    {
        var map = d.Mapping(node, field, "repository", "platform", "oci", "docker");
        if (map is null)
        {
            d.Error(node, field, "expected a mapping with keys repository, platform, oci, docker, found null");
            return null;
        }
        var repository = d.String(map.Get("repository"), field + ".repository");
        if (repository is null) d.Error(map, field + ".repository", "is required (expected a repository such as promoter)");
        else if (RepositoryName.Problem(repository) is { } problem)
            d.Error(map.Get("repository"), field + ".repository", $"'{repository}' is not a repository: {problem}");

        var platformText = d.String(map.Get("platform"), field + ".platform");
        Platform? platform = null;
        if (platformText is null) d.Error(map, field + ".platform", "is required (expected os/architecture[/variant], e.g. linux/amd64)");
        else if ((platform = ParsePlatform(platformText)) is null)
            d.Error(map.Get("platform"), field + ".platform", $"'{platformText}' is not a platform (expected os/architecture[/variant], e.g. linux/amd64)");

        var oci = ReadOci(d, map.Get("oci"), field + ".oci", folder);
        var docker = ReadDocker(d, map.Get("docker"), field + ".docker", folder);
        if (map.Get("oci") is null && map.Get("docker") is null)
            d.Error(map, field, "needs an 'oci:' or a 'docker:' section (or both), saying how the image is built");
        return repository is null || platform is null ? null : new ReleaseImage(repository, platform, oci, docker, node.Line);
    }

    private static OciReleaseBuild? ReadOci(YamlDecoder d, YNode? node, string field, string folder)
    {
        if (node is null) return null;
        var map = d.Mapping(node, field, "base", "entrypoint", "layers");
        if (map is null)
        {
            d.Error(node, field, "expected a mapping with keys base, entrypoint, layers");
            return null;
        }
        var baseText = d.String(map.Get("base"), field + ".base") ?? "scratch";
        string? baseArchive = null;
        if (baseText != "scratch")
            baseArchive = ExistingPath(d, map.Get("base"), field + ".base", baseText, folder, file: true, "a docker save archive or scratch");

        List<string>? entrypoint = null;
        if (map.Get("entrypoint") is { } entryNode)
        {
            entrypoint = [];
            var words = d.Sequence(entryNode, field + ".entrypoint");
            for (var i = 0; i < words.Count; i++)
                if (d.String(words[i], $"{field}.entrypoint[{i}]") is { } word) entrypoint.Add(word);
            if (words.Count == 0) d.Error(entryNode, field + ".entrypoint", "expected a non-empty list of strings, e.g. [\"/promoter\"]");
        }

        var layers = new List<ReleaseLayer>();
        var layerNodes = d.Sequence(map.Get("layers"), field + ".layers");
        if (layerNodes.Count == 0) d.Error(map.Get("layers") ?? map, field + ".layers", "must list at least one layer (- source: <folder or file>)");
        for (var i = 0; i < layerNodes.Count; i++)
        {
            var layerField = $"{field}.layers[{i}]";
            var layer = d.Mapping(layerNodes[i], layerField, "source", "target");
            if (layer is null)
            {
                d.Error(layerNodes[i], layerField, "expected a mapping with keys source, target");
                continue;
            }
            var source = d.String(layer.Get("source"), layerField + ".source");
            if (source is null)
            {
                d.Error(layer, layerField + ".source", "is required (a folder or file relative to the definition file)");
                continue;
            }
            var sourcePath = ExistingPath(d, layer.Get("source"), layerField + ".source", source, folder, file: null, "a folder or file");
            var target = (d.String(layer.Get("target"), layerField + ".target") ?? "").Trim('/');
            if (target.Split('/').Any(s => s is "." or "..") || target.Contains("//", StringComparison.Ordinal))
                d.Error(layer.Get("target"), layerField + ".target", $"'{target}' is not a folder in the image (expected '/'-separated names without '.', '..' or empty parts)");
            if (sourcePath is not null) layers.Add(new ReleaseLayer(source, sourcePath, target));
        }
        return new OciReleaseBuild(baseText, baseArchive, entrypoint, layers);
    }

    private static DockerReleaseBuild? ReadDocker(YamlDecoder d, YNode? node, string field, string folder)
    {
        if (node is null) return null;
        var map = d.Mapping(node, field, "dockerfile", "context");
        if (map is null)
        {
            d.Error(node, field, "expected a mapping with keys dockerfile, context");
            return null;
        }
        var dockerfileText = d.String(map.Get("dockerfile"), field + ".dockerfile");
        if (dockerfileText is null)
        {
            d.Error(map, field + ".dockerfile", "is required (a Dockerfile relative to the definition file)");
            return null;
        }
        var dockerfile = ExistingPath(d, map.Get("dockerfile"), field + ".dockerfile", dockerfileText, folder, file: true, "a Dockerfile");
        if (dockerfile is null) return null;
        var contextText = d.String(map.Get("context"), field + ".context");
        var context = contextText is null
            ? Path.GetDirectoryName(dockerfile)!
            : ExistingPath(d, map.Get("context"), field + ".context", contextText, folder, file: false, "a build context folder");
        return context is null ? null : new DockerReleaseBuild(dockerfile, context);
    }

    // The full path of `text` (relative to `folder`) when it exists with the wanted kind; `file`: true a file, false a folder, null either.
    private static string? ExistingPath(YamlDecoder d, YNode? node, string field, string text, string folder, bool? file, string expected)
    {
        if (Path.IsPathRooted(text) || text.Length == 0)
        {
            d.Error(node, field, $"'{text}' is not a relative path (expected {expected} relative to the definition file)");
            return null;
        }
        var full = Path.GetFullPath(Path.Combine(folder, text));
        var ok = file switch
        {
            true => System.IO.File.Exists(full),
            false => Directory.Exists(full),
            null => System.IO.File.Exists(full) || Directory.Exists(full),
        };
        if (!ok) d.Error(node, field, $"'{text}' ({full}) does not exist (expected {expected})");
        return ok ? full : null;
    }

}
