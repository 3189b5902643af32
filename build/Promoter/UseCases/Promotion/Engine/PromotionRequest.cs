using Promoter.Yaml;

namespace Promoter.Promotion.Engine;

/// <summary>
/// What to promote and how: the manifests to load and the policy to run them with. The build program makes it from its
/// Promote command model (the command line, or an e2e test's <c>invocation</c>, read by one parser); the library only loads
/// the edges it names.
/// </summary>
public sealed record PromotionRequest
{
    /// <summary>A single promoter manifest file, or null.</summary>
    public string? Manifest { get; init; }

    /// <summary>A thin-manifest directory, or null.</summary>
    public string? ThinManifestDirectory { get; init; }

    /// <summary>The flags' policy: <see cref="PromotionPolicy.Confirm"/> (false, a dry run, unless <c>--confirm</c> or
    /// <c>--dry-run=false</c>), <see cref="PromotionPolicy.AllowTagMoves"/>, <see cref="PromotionPolicy.Threads"/>.</summary>
    public PromotionPolicy Policy { get; init; } = new();

    /// <summary>
    /// Loads the manifests the request names and computes their edges (with the overlap checks); an
    /// <see cref="EdgeLoader"/> for <see cref="PromotionPipeline.RunAsync"/>.
    /// </summary>
    /// <param name="warn">Receives the thin-directory warnings (subfolders without a manifest).</param>
    /// <exception cref="InputFormatException">A manifest is invalid (errors give file, line and field).</exception>
    /// <remarks>Under <see cref="PromotionPolicy.IsolateEdges"/> overlapping edges do not fail the load: each overlap goes
    /// to <paramref name="warn"/> and its edges are kept for the planner to refuse.</remarks>
    public IReadOnlyList<PromotionEdge> LoadEdges(Action<string>? warn = null)
    {
        IReadOnlyList<PromoterManifest> manifests;
        if (Manifest is not null)
        {
            manifests = [ManifestReader.Load(Manifest)];
        }
        else
        {
            var set = ManifestReader.LoadThinDirectory(ThinManifestDirectory!);
            foreach (var warning in set.Warnings) warn?.Invoke(warning);
            manifests = set.Manifests;
        }
        return PromotionEdges.FromManifests(manifests, Policy.IsolateEdges ? line => warn?.Invoke(line) : null);
    }
}
