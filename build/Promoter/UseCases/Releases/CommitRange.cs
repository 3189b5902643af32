namespace Promoter.Releases;

/// <summary>
/// A resolved commit range: the changes from <see cref="BaseSha"/> (exclusive) to <see cref="HeadSha"/> (inclusive).
/// </summary>
/// <param name="Job">The kind of job the range was resolved for.</param>
/// <param name="BaseSha">The commit the range starts after, or null when the head is a root commit (everything is new).</param>
/// <param name="HeadSha">The commit the range ends at.</param>
/// <param name="Origin">A one-line description of where the range came from, e.g. <c>Prow postsubmit: the first parent of PULL_BASE_SHA..PULL_BASE_SHA</c>.</param>
public sealed record CommitRange(JobKind Job, string? BaseSha, string HeadSha, string Origin)
{
    /// <summary>The range as <c>base..head</c> with 12-character commit ids, e.g. <c>1a2b3c4d5e6f..0f9e8d7c6b5a</c>.</summary>
    public override string ToString() => $"{(BaseSha is null ? "(root)" : Short(BaseSha))}..{Short(HeadSha)}";

    /// <summary>Reads the range from the environment (<see cref="RangeRequest.FromEnvironment"/>) and resolves it with <paramref name="git"/>.</summary>
    /// <exception cref="FormatException">The environment is malformed.</exception>
    /// <exception cref="MissingCommitException">A commit of the range is not in the clone (typically a shallow clone).</exception>
    /// <exception cref="GitException">A revision does not name a commit.</exception>
    public static CommitRange FromEnvironment(IReadOnlyDictionary<string, string> environment, IGitRepository git, string? since = null) =>
        Resolve(RangeRequest.FromEnvironment(environment, since), git);

    /// <summary>
    /// Resolves the revisions of <paramref name="request"/> to commit ids. A full commit id must be present in the
    /// clone; a base of "the first parent" is read from the head's commit object, so a shallow clone that cut it
    /// off is noticed rather than mistaken for a root commit.
    /// </summary>
    /// <exception cref="MissingCommitException">A commit of the range is not in the clone; the message names it and the fetch that fixes it.</exception>
    /// <exception cref="GitException">A revision does not name a commit.</exception>
    public static CommitRange Resolve(RangeRequest request, IGitRepository git)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(git);

        var head = ResolveRev(git, request.HeadRev, request.HeadOrigin);
        string? baseSha;
        if (request.BaseRev is not null)
        {
            baseSha = ResolveRev(git, request.BaseRev, request.BaseOrigin);
        }
        else
        {
            var parents = git.ParentsOf(head);
            baseSha = parents.Count == 0 ? null : parents[0];
            if (baseSha is not null && !git.CommitExists(baseSha))
                throw new MissingCommitException(baseSha, $"{request.BaseOrigin}, the first parent of {Short(head)}", git.IsShallow());
        }

        var origin = $"{Describe(request.Job)}: {request.BaseOrigin}..{request.HeadOrigin}";
        return new CommitRange(request.Job, baseSha, head, origin);
    }

    private static string ResolveRev(IGitRepository git, string rev, string origin)
    {
        if (rev.Length is 40 or 64 && rev.All(char.IsAsciiHexDigit))
        {
            return git.CommitExists(rev)
                ? rev.ToLowerInvariant()
                : throw new MissingCommitException(rev, origin, git.IsShallow());
        }
        try
        {
            return git.RevParse(rev);
        }
        catch (GitException exception) when (git.IsShallow())
        {
            throw new MissingCommitException(rev, origin, shallow: true, exception);
        }
    }

    private static string Describe(JobKind job) => job switch
    {
        JobKind.Local => "local run",
        _ => job.ToString().ToLowerInvariant() + " job",
    };

    internal static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
