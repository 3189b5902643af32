namespace Promoter.Promotion;

/// <summary>The manifests of a thin-manifest directory (<c>manifests/README.md</c> §2) and the warnings met on the way.</summary>
/// <param name="Manifests">One manifest per project, ordered by project name (ordinal).</param>
/// <param name="Warnings">Human-readable warnings, e.g. for a <c>manifests/</c> subfolder without a <c>promoter-manifest.yaml</c>.</param>
public sealed record ThinManifestSet(IReadOnlyList<PromoterManifest> Manifests, IReadOnlyList<string> Warnings);
