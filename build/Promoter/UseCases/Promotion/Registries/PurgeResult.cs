namespace Promoter.Promotion.Registries;

/// <summary>What a purge deleted.</summary>
/// <param name="Repositories">Repositories under the purged paths that held at least one manifest.</param>
/// <param name="IndexesDeleted">Manifest lists / OCI indexes deleted.</param>
/// <param name="ManifestsDeleted">Other manifests (image manifests, unknown media types) deleted.</param>
public sealed record PurgeResult(int Repositories, int IndexesDeleted, int ManifestsDeleted)
{
    /// <summary>The sum of two results.</summary>
    public static PurgeResult operator +(PurgeResult a, PurgeResult b) =>
        new(a.Repositories + b.Repositories, a.IndexesDeleted + b.IndexesDeleted, a.ManifestsDeleted + b.ManifestsDeleted);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Repositories} repositor{(Repositories == 1 ? "y" : "ies")}: {IndexesDeleted} index(es) and {ManifestsDeleted} manifest(s) deleted";
}
