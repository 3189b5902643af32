namespace Promoter.Releases;

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
