namespace Promoter.Registry;

/// <summary>One repository and its manifests, sorted by digest.</summary>
/// <param name="Repository">The repository path.</param>
/// <param name="Manifests">Every manifest found (see <see cref="RegistryInventory"/> for what can be found).</param>
public sealed record InventoryRepository(string Repository, IReadOnlyList<InventoryManifest> Manifests);
