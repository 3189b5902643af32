namespace Promoter.Archives;

/// <summary>One layer to build: its files (may be empty, giving an empty tar).</summary>
/// <param name="Files">The files of the layer, in any order.</param>
public sealed record LayerSpec(IReadOnlyList<LayerFile> Files);
