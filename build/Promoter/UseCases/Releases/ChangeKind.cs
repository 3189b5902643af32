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
