namespace Promoter.Releases;

/// <summary>The kind of CI job a build runs in, which decides what it may push and release.</summary>
public enum JobKind
{
    /// <summary>A run on a developer machine or a manual trigger (no CI variables).</summary>
    Local,

    /// <summary>A job on a pull request before it merges (Prow <c>presubmit</c>, GitHub <c>pull_request</c>).</summary>
    Presubmit,

    /// <summary>A job on a push to a branch (Prow <c>postsubmit</c>, GitHub <c>push</c>).</summary>
    Postsubmit,

    /// <summary>A job on a timer (Prow <c>periodic</c>, GitHub <c>schedule</c>).</summary>
    Periodic,

    /// <summary>A job testing several pull requests merged together (Prow <c>batch</c>, GitHub <c>merge_group</c>).</summary>
    Batch,
}
