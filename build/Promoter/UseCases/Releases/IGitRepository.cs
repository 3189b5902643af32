namespace Promoter.Releases;

/// <summary>
/// The read-only git operations the release gates need, so that this library holds no git code. The build
/// program implements it over libgit2 (LibGit2Sharp, in its Tools/Git folder); every <c>sha</c> is a full object
/// name as <c>git rev-parse</c> prints it.
/// </summary>
public interface IGitRepository
{
    /// <summary>The full commit id <paramref name="rev"/> names (<c>git rev-parse --verify rev^{commit}</c>).</summary>
    /// <exception cref="GitException">The revision does not name a commit in this clone.</exception>
    string RevParse(string rev);

    /// <summary>True when the commit object <paramref name="sha"/> is present in this clone.</summary>
    bool CommitExists(string sha);

    /// <summary>True when this clone is shallow (<c>git rev-parse --is-shallow-repository</c>).</summary>
    bool IsShallow();

    /// <summary>
    /// The paths (relative to the repository root, '/'-separated) that differ between the trees of
    /// <paramref name="fromSha"/> and <paramref name="toSha"/> (<c>git diff --name-only</c> of two trees, renames
    /// listed as both paths). When <paramref name="toSha"/> is a merge commit this is still a diff against
    /// <paramref name="fromSha"/>, never a combined diff. A null <paramref name="fromSha"/> stands for the empty tree,
    /// so every file of <paramref name="toSha"/> is listed.
    /// </summary>
    IReadOnlyList<string> ChangedFiles(string? fromSha, string toSha);

    /// <summary>The content of <paramref name="path"/> at <paramref name="rev"/> as UTF-8 text, or null when the file does not exist there.</summary>
    string? ShowFile(string rev, string path);

    /// <summary>
    /// True when the tag <paramref name="tag"/> (<c>refs/tags/tag</c>) exists: in this clone, or on the remote the
    /// implementation was given, so that a clone fetched without tags does not release a version tagged upstream.
    /// </summary>
    /// <exception cref="GitException">The remote cannot be read; the message names it.</exception>
    bool TagExists(string tag);

    /// <summary>
    /// The parents of the commit <paramref name="sha"/>, first parent first, as the commit object records them
    /// (also at the boundary of a shallow clone, where the parents themselves are absent). Empty for a root commit.
    /// </summary>
    IReadOnlyList<string> ParentsOf(string sha);

    /// <summary>The best common ancestor of two commits (<c>git merge-base</c>), or null when none is known in this clone.</summary>
    string? MergeBase(string firstSha, string secondSha);
}
