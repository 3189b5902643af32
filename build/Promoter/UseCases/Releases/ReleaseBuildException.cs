namespace Promoter.Releases;

/// <summary>A release image could not be built or pushed; the message names the image and the cause.</summary>
public sealed class ReleaseBuildException : PromoterException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the image.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ReleaseBuildException(string message, Exception? inner = null) : base(message, inner) { }
}
