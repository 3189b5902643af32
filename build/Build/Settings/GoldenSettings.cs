namespace Build.Settings;

/// <summary>The golden set of ContainerizeGolden, LoadTarballs, PushSrc and E2E.</summary>
/// <param name="SetFile">The golden set file (absolute).</param>
/// <param name="Archives">The archive root given on the command line (absolute), or null for the file's <c>archiveRoot:</c>.</param>
/// <param name="Verify">ContainerizeGolden only verifies.</param>
/// <param name="SourceRegistry">PushSrc's source registry <c>host[:port][/prefix]</c>, or null to start a local one.</param>
/// <param name="ContainerizedSets">The sets ContainerizeGolden builds or verifies (absolute): the one <c>--golden</c> names,
/// else every set of <see cref="BuildSettings.RepositoryGoldenSets"/>.</param>
public sealed record GoldenSettings(string SetFile, string? Archives, bool Verify, string? SourceRegistry, IReadOnlyList<string> ContainerizedSets);
