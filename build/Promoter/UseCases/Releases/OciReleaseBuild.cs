namespace Promoter.Releases;

/// <summary>The daemonless build of a release image.</summary>
/// <param name="Base">The base as written: <c>scratch</c>, or a <c>docker save</c> archive relative to the definition file.</param>
/// <param name="BaseArchivePath">Full path of the base archive; null for <c>scratch</c>.</param>
/// <param name="Entrypoint">The config's Entrypoint, or null.</param>
/// <param name="Layers">The layers written on top of the base, in order (at least one).</param>
public sealed record OciReleaseBuild(string Base, string? BaseArchivePath, IReadOnlyList<string>? Entrypoint, IReadOnlyList<ReleaseLayer> Layers);
