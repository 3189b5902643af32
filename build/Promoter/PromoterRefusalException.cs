namespace Promoter;

/// <summary>
/// A domain refusal: the input is well formed, but the rules forbid what it asks (a tag move, a purge of a source, a
/// registry a hermetic run may not contact). Nothing was written when it is thrown. Stopping on purpose (a dry run) is not
/// a refusal and throws nothing.
/// </summary>
public abstract class PromoterRefusalException : PromoterException
{
    /// <summary>Creates the refusal.</summary>
    /// <param name="message">What was refused and by which rule.</param>
    protected PromoterRefusalException(string message) : base(message) { }
}
