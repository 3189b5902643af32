namespace Promoter.Images;

/// <summary>An image could not be loaded, built or pushed by an engine; the message names the image and the cause.</summary>
public sealed class ImageEngineException(string message, Exception? inner = null) : PromoterException(message, inner);
