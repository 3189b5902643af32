using Promoter.Yaml;

namespace Promoter.Promotion.Engine;

/// <summary>The load phase's input: reads manifests and returns the edges to promote.</summary>
/// <param name="warn">Receives warnings that do not stop the load (a thin-directory subfolder without a manifest).</param>
/// <exception cref="InputFormatException">A manifest is invalid (file, line and field).</exception>
public delegate IReadOnlyList<PromotionEdge> EdgeLoader(Action<string> warn);
