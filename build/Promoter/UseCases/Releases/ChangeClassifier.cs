namespace Promoter.Releases;

/// <summary>What a commit range changed, as far as releasing goes.</summary>
public enum ChangeKind
{
    /// <summary>No file differs.</summary>
    Nothing,

    /// <summary>Only the root <c>VERSION</c> file differs: a release robot's bump.</summary>
    VersionOnly,

    /// <summary>The root <c>VERSION</c> file and other files differ.</summary>
    VersionAndOther,

    /// <summary>Files differ, but not the root <c>VERSION</c> file.</summary>
    OtherOnly,
}

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
