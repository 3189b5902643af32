using Promoter.Promotion.Engine;

namespace Promoter.Releases;

/// <summary>What to release and where.</summary>
/// <param name="Version">The version being released; images are tagged <see cref="ReleaseVersion.Tag"/>.</param>
/// <param name="Commit">The commit being released (full id).</param>
/// <param name="Images">The release image definitions.</param>
/// <param name="StagingRegistry">The staging (source) registry name, <c>host[/prefix]</c>.</param>
/// <param name="ProductionRegistries">The production (destination) registry names, at least one.</param>
/// <param name="ManifestPath">Where the production promoter manifest is written.</param>
/// <param name="OutputFolder">Where build outputs (the oci engine's archives) go.</param>
public sealed record ReleaseRequest(
    ReleaseVersion Version,
    string Commit,
    ReleaseImageSet Images,
    string StagingRegistry,
    IReadOnlyList<string> ProductionRegistries,
    string ManifestPath,
    string OutputFolder)
{
    /// <summary>Registry operations at once during the promotion (the rest of a release's promotion policy is fixed).</summary>
    public int PromotionThreads { get; init; } = 8;

    /// <summary>
    /// Signs each release image digest (index children too) in each production repository during the promotion (the
    /// promotion engine's <see cref="PromotionPolicy.Signer"/>: cosign's key-based format, <c>Attachments/README.md</c>);
    /// null signs nothing.
    /// </summary>
    public Promoter.Attachments.IImageSigner? Signer { get; init; }
}
