namespace Promoter.Golden;

/// <summary>One layer of a <see cref="GoldenSetBuild"/>.</summary>
/// <param name="Files">The files of the layer (empty: an empty layer tar, as upstream's second layer).</param>
/// <param name="Line">Line of the layer in the YAML file.</param>
public sealed record GoldenSetBuildLayer(IReadOnlyList<GoldenSetBuildFile> Files, int Line);
