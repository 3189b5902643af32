namespace Promoter.Promotion;

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
