namespace Promoter.Releases;

/// <summary>Options of the release gates.</summary>
/// <param name="AllowPrerelease">When true a pre-release version (e.g. <c>1.2.0-rc.1</c>) may be released.</param>
public sealed record ReleaseOptions(bool AllowPrerelease = false);

/// <summary>The decision on one gate.</summary>
/// <param name="Allowed">True when the step runs.</param>
/// <param name="Reason">One line saying why it runs or why it is refused.</param>
public sealed record GateDecision(bool Allowed, string Reason)
{
    /// <summary>For a refused <see cref="ReleaseDecision.PromoteRelease"/> gate: why, as a kind; <see cref="ReleaseRefusal.None"/> otherwise.</summary>
    public ReleaseRefusal Refusal { get; init; }

    /// <summary>
    /// True when the refusal is an error the release robot must see (a failed build), false when the gate is simply
    /// closed (nothing to release, or released already). See <see cref="ReleaseRefusal"/> for which is which.
    /// </summary>
    public bool IsFailure => Refusal is ReleaseRefusal.VersionDeleted or ReleaseRefusal.InvalidVersion
        or ReleaseRefusal.Prerelease or ReleaseRefusal.InvalidBaseVersion or ReleaseRefusal.NotGreater;

    /// <summary><c>yes: reason</c> or <c>no: reason</c>.</summary>
    public override string ToString() => (Allowed ? "yes: " : "no: ") + Reason;
}

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

/// <summary>What a build does for a commit range, gate by gate.</summary>
/// <param name="Range">The range decided on.</param>
/// <param name="DiffBase">The commit the changes were diffed against: the merge base of the range's base and head
/// (the base itself when it is an ancestor of the head), or null for a root commit.</param>
/// <param name="ChangedFiles">The paths changed between <paramref name="DiffBase"/> and the head.</param>
/// <param name="Changes">The classification of <paramref name="ChangedFiles"/>.</param>
/// <param name="Version">The version in VERSION at the head when it parsed (pre-releases included), else null.</param>
/// <param name="PreviousVersion">The version in VERSION at the range base when it parsed, else null.</param>
/// <param name="BuildImages">Whether images are built.</param>
/// <param name="PushImages">Whether built images are pushed.</param>
/// <param name="PromoteRelease">Whether the release is promoted and tagged <c>v&lt;version&gt;</c>.</param>
public sealed record ReleaseDecision(
    CommitRange Range,
    string? DiffBase,
    IReadOnlyList<string> ChangedFiles,
    ChangeKind Changes,
    ReleaseVersion? Version,
    ReleaseVersion? PreviousVersion,
    GateDecision BuildImages,
    GateDecision PushImages,
    GateDecision PromoteRelease)
{
    /// <summary>A few lines for the build log: the range, its changes and each gate with its reason.</summary>
    public string Describe() =>
        $"Range {Range} ({Range.Origin}), {ChangedFiles.Count} changed file(s): {Changes}{Environment.NewLine}"
        + $"  BuildImages:    {BuildImages}{Environment.NewLine}"
        + $"  PushImages:     {PushImages}{Environment.NewLine}"
        + $"  PromoteRelease: {PromoteRelease}";
}

/// <summary>
/// The release gates. A release robot bumps the root <c>VERSION</c> file; only such a commit range releases.
/// <list type="bullet">
/// <item><b>BuildImages</b>: every job builds, except that a postsubmit skips a range that changes VERSION alone
/// (the release does that build) or changes nothing.</item>
/// <item><b>PushImages</b>: as BuildImages, but never in a presubmit or batch job, which only test.</item>
/// <item><b>PromoteRelease</b>: only in a postsubmit or local run whose range changes VERSION, and only when the new
/// version is valid SemVer 2.0, greater than the version at the range base, not already tagged <c>v&lt;version&gt;</c>,
/// and not a pre-release unless <see cref="ReleaseOptions.AllowPrerelease"/>.</item>
/// </list>
/// </summary>
public static class ReleaseGates
{
    /// <summary>Decides every gate for <paramref name="range"/>.</summary>
    /// <param name="git">The repository the range is in.</param>
    /// <param name="range">The resolved range.</param>
    /// <param name="options">Release options; null for the defaults.</param>
    /// <exception cref="GitException">git fails (the message carries git's error).</exception>
    public static ReleaseDecision Decide(IGitRepository git, CommitRange range, ReleaseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(range);
        options ??= new ReleaseOptions();

        var diffBase = range.BaseSha is null ? null : git.MergeBase(range.BaseSha, range.HeadSha) ?? range.BaseSha;
        var changed = git.ChangedFiles(diffBase, range.HeadSha);
        var changes = ChangeClassifier.Classify(changed);

        var headText = git.ShowFile(range.HeadSha, ChangeClassifier.VersionFile);
        ReleaseVersion.TryParse(headText, allowPrerelease: true, out var version, out _);
        var baseText = range.BaseSha is null ? null : git.ShowFile(range.BaseSha, ChangeClassifier.VersionFile);
        ReleaseVersion.TryParse(baseText, allowPrerelease: true, out var previous, out _);

        var build = DecideBuild(range, changes);
        var push = DecidePush(range, build);
        var promote = DecidePromote(git, range, changes, options, headText, baseText, previous);
        return new ReleaseDecision(range, diffBase, changed, changes, version, previous, build, push, promote);
    }

    private static GateDecision DecideBuild(CommitRange range, ChangeKind changes)
    {
        var job = JobName(range.Job);
        if (range.Job == JobKind.Postsubmit)
        {
            return changes switch
            {
                ChangeKind.VersionOnly => new(false, $"{job}: {range} changes VERSION alone; the release builds those images"),
                ChangeKind.Nothing => new(false, $"{job}: {range} changes no file"),
                _ => new(true, $"{job}: {range} changes files other than VERSION"),
            };
        }
        return new(true, $"{job}: builds every range ({range}: {changes})");
    }

    private static GateDecision DecidePush(CommitRange range, GateDecision build)
    {
        var job = JobName(range.Job);
        return range.Job switch
        {
            JobKind.Presubmit => new(false, $"{job}: presubmit jobs build without pushing"),
            JobKind.Batch => new(false, $"{job}: batch jobs test merged pull requests and build without pushing"),
            _ when !build.Allowed => new(false, $"{job}: nothing is built, so nothing is pushed"),
            _ => new(true, $"{job}: pushes the images it builds"),
        };
    }

    private static GateDecision DecidePromote(
        IGitRepository git, CommitRange range, ChangeKind changes, ReleaseOptions options,
        string? headText, string? baseText, ReleaseVersion? previous)
    {
        var job = JobName(range.Job);
        if (range.Job is not (JobKind.Postsubmit or JobKind.Local))
            return new(false, $"{job}: only postsubmit jobs and local runs release") { Refusal = ReleaseRefusal.NotReleasingJob };
        if (changes is not (ChangeKind.VersionOnly or ChangeKind.VersionAndOther))
            return new(false, $"VERSION did not change in {range}") { Refusal = ReleaseRefusal.VersionUnchanged };
        if (headText is null)
            return new(false, $"VERSION was deleted at {CommitRange.Short(range.HeadSha)}") { Refusal = ReleaseRefusal.VersionDeleted };
        if (!ReleaseVersion.TryParse(headText, allowPrerelease: true, out var version, out var error))
            return new(false, $"VERSION at {CommitRange.Short(range.HeadSha)}: {error}") { Refusal = ReleaseRefusal.InvalidVersion };
        if (version!.IsPrerelease && !options.AllowPrerelease)
            return new(false, $"VERSION at {CommitRange.Short(range.HeadSha)}: {version} is a pre-release; pass --allow-prerelease to release it") { Refusal = ReleaseRefusal.Prerelease };
        if (baseText is not null && previous is null)
            return new(false, $"VERSION at the range base {CommitRange.Short(range.BaseSha!)} is not a valid version, so the new one cannot be compared; pass --since=<rev> naming a commit with a valid VERSION") { Refusal = ReleaseRefusal.InvalidBaseVersion };
        if (previous is not null && !(version > previous))
            return new(false, $"VERSION went from {previous} to {version}: a release must be greater than the version at the range base") { Refusal = ReleaseRefusal.NotGreater };
        if (git.TagExists(version.Tag))
            return new(false, $"tag {version.Tag} already exists: {version} was released before") { Refusal = ReleaseRefusal.AlreadyTagged };

        var from = previous is null ? "no previous VERSION" : previous.ToString();
        return new(true, $"VERSION changed from {from} to {version} in {range} and tag {version.Tag} does not exist yet");
    }

    private static string JobName(JobKind job) => job.ToString().ToLowerInvariant();
}
