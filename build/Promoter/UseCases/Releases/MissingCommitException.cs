namespace Promoter.Releases;

/// <summary>A commit the range needs is not in the clone.</summary>
public sealed class MissingCommitException : GitException
{
    /// <summary>Creates the error for <paramref name="commit"/>.</summary>
    /// <param name="commit">The missing commit id or revision.</param>
    /// <param name="origin">Where the range took it from, e.g. <c>PULL_BASE_SHA</c>.</param>
    /// <param name="shallow">True when the clone is shallow; the message then gives the deepening fetch.</param>
    /// <param name="inner">The git error, if any.</param>
    public MissingCommitException(string commit, string origin, bool shallow, Exception? inner = null)
        : base(Compose(commit, origin, shallow), inner)
    {
        Commit = commit;
        Shallow = shallow;
    }

    /// <summary>The missing commit id or revision.</summary>
    public string Commit { get; }

    /// <inheritdoc />
    public override string? Subject => Commit;

    /// <summary>True when the clone is shallow.</summary>
    public bool Shallow { get; }

    private static string Compose(string commit, string origin, bool shallow) => shallow
        ? $"Commit {commit} ({origin}) is not in this clone: the clone is shallow and its history stops before that commit. "
          + "Fetch more history with 'git fetch --deepen=<commits>' (enough to reach it) or 'git fetch --unshallow', then run again."
        : $"Commit {commit} ({origin}) is not in this clone. Fetch it with 'git fetch origin {commit}' "
          + "(or 'git fetch --unshallow' if the clone was made shallow), then run again.";
}
