using Build.Tools.Git;
using Promoter.Promotion;
using Promoter.Releases;

namespace Build.Flows;

/// <summary>
/// kpromo's <c>--use-prow-manifest-diff</c> and <c>--manifest-diff-since</c>: keeps only the edges whose manifest entry
/// (source, image, digest, destination, tag) is new since the base of a commit range. The range comes from the release
/// gate's code (<see cref="CommitRange"/>: Prow's <c>JOB_TYPE</c>/<c>PULL_BASE_SHA</c>/<c>PULL_PULL_SHA</c>, GitHub
/// Actions, or <c>REV..HEAD</c>); the manifests at the base are read out of git (LibGit2Sharp) into a temporary folder and
/// turned into edges exactly as the current ones are, so an entry counts as changed when its edge did not exist at the
/// base: an added digest, an added tag, a digest moved to another tag, a newly added destination registry. Removed
/// entries promote nothing (nothing is ever deleted).
/// </summary>
public static class ManifestDiff
{
    /// <summary>Which edges of <paramref name="current"/> are new since the range's base.</summary>
    /// <param name="current">The edges of the manifests in the working tree.</param>
    /// <param name="manifestPath">The <c>--manifest</c> file or <c>--thin-manifest-dir</c> folder (absolute).</param>
    /// <param name="thin">True for a thin-manifest directory.</param>
    /// <param name="since">The <c>--manifest-diff-since</c> value (a revision or a duration such as <c>7 days</c>), or null for the CI job's range.</param>
    /// <param name="environment">The process environment (Prow's and GitHub's variables).</param>
    /// <param name="log">Receives the range and the counts.</param>
    /// <returns>The new edges, in <paramref name="current"/>'s order.</returns>
    /// <exception cref="FormatException">The CI environment is malformed.</exception>
    /// <exception cref="GitException">A revision is unknown, or the clone lacks the range's base (a shallow clone).</exception>
    /// <exception cref="Promoter.Yaml.InputFormatException">The manifests at the base are invalid (the message names the revision's copy).</exception>
    public static IReadOnlyList<PromotionEdge> Changed(IReadOnlyList<PromotionEdge> current, string manifestPath, bool thin, string? since,
        IReadOnlyDictionary<string, string> environment, Action<string> log)
    {
        var root = GitTreeExport.WorkingDirectory(manifestPath);
        var git = new GitRepository(root, remoteName: null);
        var sinceRev = since is null ? null : GitTreeExport.BaseForDuration(root, since, DateTimeOffset.Now) ?? since;
        var range = CommitRange.FromEnvironment(environment, git, sinceRev);
        var relative = Path.GetRelativePath(root, manifestPath).Replace(Path.DirectorySeparatorChar, '/');
        var before = range.BaseSha is null ? [] : EdgesAt(root, range.BaseSha, relative, thin);
        var known = before.ToHashSet();
        var changed = current.Where(e => !known.Contains(e)).ToList();
        log($"manifest diff {range} ({range.Origin}): {changed.Count} of {current.Count} edge(s) new or changed since {range.BaseSha?[..12] ?? "the root"}; only they are planned");
        return changed;
    }

    private static IReadOnlyList<PromotionEdge> EdgesAt(string root, string sha, string relative, bool thin)
    {
        var folder = Directory.CreateTempSubdirectory("manifest-diff-").FullName;
        try
        {
            if (!GitTreeExport.Export(root, sha, relative, folder)) return [];
            var path = Path.Combine(folder, relative);
            var manifests = thin ? ManifestReader.LoadThinDirectory(path).Manifests : [ManifestReader.Load(path)];
            // Overlaps at the base do not matter here: the current manifests are checked as usual.
            return PromotionEdges.FromManifests(manifests, overlaps: _ => { });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
