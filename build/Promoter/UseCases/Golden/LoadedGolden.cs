using Promoter.Images;

namespace Promoter.Golden;

/// <summary>A golden set whose archives an engine has loaded, for pushes.</summary>
/// <param name="Set">The golden set description.</param>
/// <param name="Images">The engine's image per golden-set name.</param>
public sealed record LoadedGolden(GoldenSet Set, IReadOnlyDictionary<string, EngineImage> Images);
