namespace Promoter.Releases;

/// <summary>A git operation failed: a revision that names no commit, a repository that cannot be opened, a remote that
/// cannot be reached or refused a push. The message names the operation, the repository or remote, and the cause.</summary>
public class GitException : PromoterException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the operation and the repository or remote.</param>
    /// <param name="inner">The underlying error (e.g. libgit2's), if any.</param>
    public GitException(string message, Exception? inner = null) : base(message, inner) { }
}
