using Promoter.Attachments;

namespace Promoter.Promotion.Engine;

/// <summary>
/// The attachment and signature flags of a promotion command line (<see cref="PromotionRequest.Parse"/>):
/// <c>--copy-attachments[=false]</c>, <c>--sign</c>, <c>--signing-key=FILE</c>, <c>--signing-key-passphrase-file=FILE</c>,
/// <c>--signing-key-passphrase-env=NAME</c>, <c>--require-signature=PUBKEY</c>. Keys are read once all flags are in.
/// </summary>
public sealed class SigningArguments
{
    /// <summary>The flags, for the unknown-flag message.</summary>
    public const string Names = "--copy-attachments, --sign, --signing-key, --signing-key-passphrase-file, --signing-key-passphrase-env or --require-signature";

    /// <summary><c>--copy-attachments</c> (default true).</summary>
    public bool CopyAttachments { get; set; } = true;

    /// <summary><c>--sign</c>.</summary>
    public bool Sign { get; set; }

    /// <summary><c>--signing-key</c>: a PEM private key file.</summary>
    public string? SigningKey { get; set; }

    /// <summary><c>--signing-key-passphrase-file</c>.</summary>
    public string? PassphraseFile { get; set; }

    /// <summary><c>--signing-key-passphrase-env</c>: the name of the variable holding the passphrase.</summary>
    public string? PassphraseVariable { get; set; }

    /// <summary><c>--require-signature</c>: a PEM public key file.</summary>
    public string? RequireSignature { get; set; }

    /// <summary>Takes the flag <paramref name="name"/> if it is one of these; <paramref name="value"/> is its inline value (or null),
    /// <paramref name="next"/> reads the value from the next argument.</summary>
    /// <exception cref="FormatException">A bad boolean.</exception>
    public bool Accept(string name, string? value, Func<string> next)
    {
        switch (name)
        {
            case "copy-attachments": CopyAttachments = value is null || Bool(name, value); return true;
            case "sign": Sign = value is null || Bool(name, value); return true;
            case "signing-key": SigningKey = next(); return true;
            case "signing-key-passphrase-file": PassphraseFile = next(); return true;
            case "signing-key-passphrase-env": PassphraseVariable = next(); return true;
            case "require-signature": RequireSignature = next(); return true;
            default: return false;
        }
    }

    /// <summary>The policy with these flags applied: keys read, the signer made.</summary>
    /// <exception cref="FormatException">--sign without --signing-key, or a key flag without --sign.</exception>
    /// <exception cref="SigningKeyException">A key cannot be read, decrypted or used (the message names the file, never the key).</exception>
    public PromotionPolicy Apply(PromotionPolicy policy)
    {
        if (Sign && SigningKey is null) throw new FormatException("--sign needs --signing-key=FILE (a PEM EC P-256 private key).");
        if (!Sign && (SigningKey ?? PassphraseFile ?? PassphraseVariable) is not null)
            throw new FormatException("--signing-key and its passphrase flags are only read with --sign.");
        return policy with
        {
            CopyAttachments = CopyAttachments,
            Signer = Sign ? SigningKeys.LoadSigner(SigningKey!, PassphraseFile, PassphraseVariable) : null,
            RequiredSignature = RequireSignature is null ? null : SigningKeys.LoadVerifier(RequireSignature),
        };
    }

    private static bool Bool(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new FormatException($"promotion argument --{name}: expected true or false, got '{value}'."),
    };
}
