using Promoter.Yaml;
using Promoter.Registry;
namespace Promoter.Promotion;

/// <summary>
/// One entry of a promoter manifest's <c>registries</c> list (<c>manifests/README.md</c> §1).
/// </summary>
/// <param name="Name">A registry root plus an optional path prefix, e.g. <c>gcr.io/stg-proj/sub</c> or
/// <c>127.0.0.1:5000/k8s-staging/golden-foo</c>; see <see cref="RegistryPath"/>.</param>
/// <param name="ServiceAccount">The <c>service-account</c> value, or null when absent.</param>
/// <param name="Src">True for the source (staging) registry; every other entry is a destination.</param>
public sealed record RegistryEntry(string Name, string? ServiceAccount, bool Src)
{
    /// <summary>Where the entry was read from, when it came from a file.</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>One <c>dmap</c> entry: a digest and the tags it carries (empty: promoted by digest only).</summary>
/// <param name="Digest">The digest text as written, e.g. <c>sha256:</c> + 64 hex (validated on every path).</param>
/// <param name="Tags">The tags, strings exactly as written (<c>1.0</c> stays <c>"1.0"</c>), in file order.</param>
public sealed record DigestTags(string Digest, IReadOnlyList<string> Tags)
{
    /// <summary>True when the digest carries no tag.</summary>
    public bool IsTagless => Tags.Count == 0;

    /// <summary>Where the digest key was read from (field path <c>…dmap["sha256:…"]</c>), when it came from a file.</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>An image of a promoter manifest, of an <c>images.yaml</c> or of a snapshot: a name and its <c>dmap</c>.</summary>
/// <param name="Name">The image name, relative to a registry name; may contain '/'.</param>
/// <param name="Dmap">Digest → tags, in file order (the keys are unique).</param>
public sealed record ImageEntry(string Name, IReadOnlyList<DigestTags> Dmap)
{
    /// <summary>Where the image entry was read from, when it came from a file.</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>
/// A promoter manifest (<c>manifests/README.md</c> §1): the registries (one source, the rest destinations)
/// and the images to promote. Thin-manifest directories (§2) produce one per project.
/// </summary>
/// <param name="File">The manifest file, as named to the reader.</param>
/// <param name="Registries">The registries, in file order (never empty once loaded).</param>
/// <param name="Images">The images, in file order (may be empty: a "stub" manifest).</param>
public sealed record PromoterManifest(string File, IReadOnlyList<RegistryEntry> Registries, IReadOnlyList<ImageEntry> Images)
{
    /// <summary>For a thin manifest: the project folder name <c>P</c> of <c>manifests/P/</c>; null for a plain manifest.</summary>
    public string? Project { get; init; }

    /// <summary>For a thin manifest: the <c>images/P/images.yaml</c> file the images came from; null for a plain manifest.</summary>
    public string? ImagesFile { get; init; }

    /// <summary>The source registry: the first entry with <c>src: true</c>.</summary>
    /// <exception cref="InvalidOperationException">No entry has <c>src: true</c> (never the case for a loaded manifest).</exception>
    public RegistryEntry Source =>
        Registries.FirstOrDefault(r => r.Src)
        ?? throw new InvalidOperationException($"{File}: no registry has src: true.");

    /// <summary>Every registry other than <see cref="Source"/>, in file order.</summary>
    public IReadOnlyList<RegistryEntry> Destinations
    {
        get
        {
            var source = Source;
            return Registries.Where(r => !ReferenceEquals(r, source)).ToList();
        }
    }
}

/// <summary>The manifests of a thin-manifest directory (<c>manifests/README.md</c> §2) and the warnings met on the way.</summary>
/// <param name="Manifests">One manifest per project, ordered by project name (ordinal).</param>
/// <param name="Warnings">Human-readable warnings, e.g. for a <c>manifests/</c> subfolder without a <c>promoter-manifest.yaml</c>.</param>
public sealed record ThinManifestSet(IReadOnlyList<PromoterManifest> Manifests, IReadOnlyList<string> Warnings);
