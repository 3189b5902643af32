using Promoter.Releases;

namespace Cake.ImagePromoter;

/// <summary>How <see cref="ImagePromoterAliases.VersionChanged"/> finds the commit range and reads git.</summary>
public sealed class VersionChangedSettings
{
    /// <summary>Diff <c>Since..HEAD</c> instead of the CI job's range (Prow's <c>JOB_TYPE</c>/<c>PULL_BASE_SHA</c>/<c>PULL_PULL_SHA</c>,
    /// GitHub Actions' event, else <c>HEAD~1..HEAD</c>); null for the job's range.</summary>
    public string? Since { get; set; }

    /// <summary>Let a pre-release <c>VERSION</c> (<c>1.3.0-rc.1</c>) release.</summary>
    public bool AllowPrerelease { get; set; }

    /// <summary>The remote whose tags count as released too, when the clone has it (a clone fetched without tags must not
    /// release again); null for local tags alone. Default <c>origin</c>.</summary>
    public string? Remote { get; set; } = "origin";

    /// <summary>The repository to read; null: the <c>git</c> command run in the repository folder (needs git on PATH).
    /// <see cref="Remote"/> applies only to that default.</summary>
    public IGitRepository? Git { get; set; }
}
