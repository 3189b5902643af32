namespace Promoter;

/// <summary>
/// The base of every exception the library throws on purpose: input that breaks a format's rules (with file, line and
/// field), a registry that refused or failed (with the reference), a broken archive (with its path), a failed engine or
/// git operation. The message says what failed and what was expected; <see cref="Subject"/> names the thing. A
/// programming error is never one of these: it stays an <see cref="ArgumentException"/> or
/// <see cref="InvalidOperationException"/>. The build program does not catch and re-wrap these: they reach the Cake
/// boundary unchanged (the host's one error report prints the message as the task's error, and the stack trace only at
/// <c>-v diagnostic</c>), so no message is rephrased or lost on the way.
/// </summary>
public abstract class PromoterException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming it, and what was expected.</param>
    /// <param name="inner">The underlying error, if any.</param>
    protected PromoterException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>What failed: a reference, a <c>file:line: field</c>, an archive path, a commit; null when only the message says.</summary>
    public virtual string? Subject => null;
}
