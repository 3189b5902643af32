namespace Promoter.Archives;

/// <summary>An image to write as a <c>docker save</c> archive.</summary>
/// <param name="Layers">The layers, base first (at least one).</param>
/// <param name="Architecture">The config's <c>architecture</c>, e.g. <c>amd64</c>.</param>
/// <param name="RepoTags">The <c>manifest.json</c> RepoTags, e.g. <c>gcr.io/k8s-staging-cip-test/library/bar:1.0</c>; may be empty.</param>
/// <param name="Os">The config's <c>os</c>.</param>
/// <param name="Author">The config's and history's <c>author</c>, or null to leave it out (upstream: <c>Bazel</c>).</param>
/// <param name="CreatedBy">Each history entry's <c>created_by</c>, or null to leave it out (upstream: <c>bazel build ...</c>).</param>
/// <param name="Variant">The config's <c>variant</c> (e.g. <c>v7</c> for arm), or null to leave it out.</param>
/// <param name="Entrypoint">The config's <c>config.Entrypoint</c> (e.g. <c>["/app/promoter"]</c>), or null for an empty <c>config</c> object.</param>
/// <param name="SavedInTimeZone">The UTC offset of the local time zone of the machine that "ran <c>docker save</c>": docker
/// writes the lower layers' v1 <c>created</c> as the Unix epoch in that zone (upstream's archives: -05:00). Whole
/// minutes within ±23:59; the default is UTC.</param>
public sealed record DockerSaveImage(
    IReadOnlyList<LayerSpec> Layers,
    string Architecture,
    IReadOnlyList<string> RepoTags,
    string Os = "linux",
    string? Author = null,
    string? CreatedBy = null,
    string? Variant = null,
    IReadOnlyList<string>? Entrypoint = null,
    TimeSpan SavedInTimeZone = default);
