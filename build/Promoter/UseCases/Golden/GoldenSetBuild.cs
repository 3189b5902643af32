using Promoter.Archives;

namespace Promoter.Golden;

/// <summary>
/// The <c>build:</c> section of a golden set image: how <see cref="DockerSaveWriter"/> writes its archive. The config's
/// architecture, os and variant are the image's <see cref="GoldenSetImage.Platform"/>, so the two cannot disagree.
/// </summary>
/// <param name="Layers">The layers, base first (at least one).</param>
/// <param name="RepoTags">The <c>manifest.json</c> RepoTags (<c>repository:tag</c>); empty writes <c>"RepoTags":null</c>.</param>
/// <param name="Author">The config's and history's <c>author</c>, or null.</param>
/// <param name="CreatedBy">Each history entry's <c>created_by</c>, or null.</param>
/// <param name="SavedInTimeZone">The UTC offset of the zone the archive is "saved in" (<see cref="DockerSaveImage.SavedInTimeZone"/>); zero when not given.</param>
/// <param name="Line">Line of the <c>build:</c> mapping in the YAML file.</param>
public sealed record GoldenSetBuild(IReadOnlyList<GoldenSetBuildLayer> Layers, IReadOnlyList<string> RepoTags,
    string? Author, string? CreatedBy, TimeSpan SavedInTimeZone, int Line);
