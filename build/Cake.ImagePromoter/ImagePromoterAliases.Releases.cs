using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Promoter.Releases;

namespace Cake.ImagePromoter;

public static partial class ImagePromoterAliases
{
    /// <summary>
    /// The release gates for this build's commit range: whether the range changes <c>VERSION</c> to a new, greater SemVer
    /// version not tagged <c>v&lt;version&gt;</c> yet (then <c>PromoteRelease.Allowed</c>), whether images are built and
    /// pushed, and each reason. The range comes from the CI environment (Prow, GitHub Actions; locally <c>HEAD~1..HEAD</c>)
    /// or <see cref="VersionChangedSettings.Since"/>. A refused change that asked for a release (a downgrade, an invalid
    /// version, a pre-release) has <c>PromoteRelease.IsFailure</c> set.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="repository">The repository (its root or a folder inside it).</param>
    /// <param name="settings">The range, pre-release and remote options; null for the defaults.</param>
    /// <returns>The gates' decision; <c>Describe()</c> gives a few lines for the log.</returns>
    /// <exception cref="FormatException">The CI environment is malformed.</exception>
    /// <exception cref="GitException">git failed, a commit of the range is missing (a shallow clone), or the remote cannot be read.</exception>
    /// <example>
    /// <code>
    /// var release = VersionChanged(".");
    /// if (release.PromoteRelease.Allowed) { /* build, push, promote, tag */ }
    /// </code>
    /// </example>
    [CakeMethodAlias]
    [CakeAliasCategory("Releases")]
    [CakeNamespaceImport("Promoter.Releases")]
    public static ReleaseDecision VersionChanged(this ICakeContext context, DirectoryPath repository, VersionChangedSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(repository);
        settings ??= new VersionChangedSettings();
        var git = settings.Git ?? new GitCommandRepository(Absolute(context, repository), settings.Remote);
        var environment = new Dictionary<string, string>(context.Environment.GetEnvironmentVariables(), StringComparer.Ordinal);
        var range = CommitRange.FromEnvironment(environment, git, settings.Since);
        var decision = ReleaseGates.Decide(git, range, new ReleaseOptions(settings.AllowPrerelease));
        context.Log.Verbose("{0}", decision.Describe());
        return decision;
    }
}
