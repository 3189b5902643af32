namespace Promoter.Attachments;

/// <summary>A signing or verification key cannot be read or used; the message names the file, never the key or passphrase.</summary>
public sealed class SigningKeyException(string message, Exception? inner = null) : PromoterException(message, inner);
