namespace Promoter.Releases;

/// <summary>Classifies the changed paths of a commit range by whether the root <c>VERSION</c> file is among them.</summary>
public static class ChangeClassifier
{
    /// <summary>The path of the version file, relative to the repository root.</summary>
    public const string VersionFile = "VERSION";

    /// <summary>
    /// Classifies <paramref name="changedPaths"/> (repository-relative, '/'-separated, as <c>git diff --name-only</c>
    /// prints them). Only the exact path <c>VERSION</c> counts: <c>docs/VERSION</c> is an ordinary file.
    /// </summary>
    public static ChangeKind Classify(IReadOnlyCollection<string> changedPaths)
    {
        ArgumentNullException.ThrowIfNull(changedPaths);
        if (changedPaths.Count == 0) return ChangeKind.Nothing;
        var version = changedPaths.Contains(VersionFile, StringComparer.Ordinal);
        var other = changedPaths.Any(path => !string.Equals(path, VersionFile, StringComparison.Ordinal));
        return (version, other) switch
        {
            (true, false) => ChangeKind.VersionOnly,
            (true, true) => ChangeKind.VersionAndOther,
            _ => ChangeKind.OtherOnly,
        };
    }
}
