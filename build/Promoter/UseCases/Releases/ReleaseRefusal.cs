namespace Promoter.Releases;

/// <summary>Why the PromoteRelease gate is closed.</summary>
public enum ReleaseRefusal
{
    /// <summary>Not refused (or another gate).</summary>
    None,
    /// <summary>A presubmit, batch or periodic job: only postsubmit jobs and local runs release. A skip.</summary>
    NotReleasingJob,
    /// <summary>VERSION did not change in the range. A skip: most commits are not releases.</summary>
    VersionUnchanged,
    /// <summary>Tag <c>v&lt;version&gt;</c> exists: released before. A skip, so that a re-run is a no-op.</summary>
    AlreadyTagged,
    /// <summary>VERSION was deleted. A failure.</summary>
    VersionDeleted,
    /// <summary>VERSION is not SemVer 2.0. A failure.</summary>
    InvalidVersion,
    /// <summary>A pre-release without <c>--allow-prerelease</c>. A failure: the bump asked for a release that did not happen.</summary>
    Prerelease,
    /// <summary>VERSION at the range base does not parse, so there is nothing to compare with. A failure.</summary>
    InvalidBaseVersion,
    /// <summary>The new version is not greater than the old one (a downgrade or the same version). A failure.</summary>
    NotGreater,
}
