namespace Build.Flows;

/// <summary>What PromoteRelease does for this run.</summary>
public enum ReleaseMode
{
    /// <summary>The gate is closed and that is normal (no VERSION change, a periodic job, released already): the task is skipped.</summary>
    Skip,
    /// <summary>A presubmit or batch job: the release images are built, never pushed (no registry credentials needed).</summary>
    BuildOnly,
    /// <summary>VERSION changed to a new, valid version: build, push to staging, write the manifest, promote, tag.</summary>
    Release,
    /// <summary>The gate refused a VERSION change that asked for a release (invalid, downgrade, pre-release): the task fails.</summary>
    Fail,
}
