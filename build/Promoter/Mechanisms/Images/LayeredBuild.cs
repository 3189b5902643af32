using Promoter.Archives;

namespace Promoter.Images;

/// <summary>A daemonless build: the base archive's layers unchanged, then one layer per <see cref="Layers"/> entry.</summary>
/// <param name="BaseArchive">A <c>docker save</c> archive whose first image's layers come first, or null for <c>scratch</c>.</param>
/// <param name="Layers">The image's own layers, base first.</param>
/// <param name="Entrypoint">The config's <c>Entrypoint</c>, or null.</param>
/// <param name="CreatedBy">Each history entry's <c>created_by</c>.</param>
public sealed record LayeredBuild(string? BaseArchive, IReadOnlyList<LayerSpec> Layers, IReadOnlyList<string>? Entrypoint, string CreatedBy);
