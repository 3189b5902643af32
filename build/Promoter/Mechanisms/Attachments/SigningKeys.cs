using System.Security.Cryptography;
using Promoter.Inputs;

namespace Promoter.Attachments;

/// <summary>Loads keys from PEM files.</summary>
public static class SigningKeys
{
    /// <summary>
    /// Reads a PEM private key: PKCS#8 (<c>BEGIN PRIVATE KEY</c>, as <c>openssl genpkey</c> writes), encrypted PKCS#8
    /// (<c>BEGIN ENCRYPTED PRIVATE KEY</c>, needs <paramref name="passphrase"/>), or SEC1 (<c>BEGIN EC PRIVATE KEY</c>, as
    /// <c>openssl ecparam -genkey</c> writes). cosign's own <c>ENCRYPTED SIGSTORE PRIVATE KEY</c> (scrypt + secretbox) is
    /// not read: convert it to PKCS#8.
    /// </summary>
    /// <exception cref="SigningKeyException">Not a regular file (a FIFO is refused without opening it, through <see cref="InputFile"/>), unreadable, encrypted without a passphrase, a wrong passphrase, or not P-256.</exception>
    public static EcdsaKeySigner LoadSigner(string path, string? passphrase)
    {
        string pem;
        try { pem = InputFile.ReadAllText(path); }
        catch (InputFileException e)
        {
            throw new SigningKeyException($"{path}: cannot read the signing key: {e.Reason}.", e);
        }
        if (pem.Contains("SIGSTORE PRIVATE KEY", StringComparison.Ordinal))
            throw new SigningKeyException($"{path}: a cosign-encrypted key (ENCRYPTED SIGSTORE PRIVATE KEY) is not read; export it as PKCS#8 PEM.");
        var encrypted = pem.Contains("BEGIN ENCRYPTED PRIVATE KEY", StringComparison.Ordinal);
        if (encrypted && string.IsNullOrEmpty(passphrase))
            throw new SigningKeyException($"{path}: the key is encrypted; give its passphrase (--signing-key-passphrase-file or --signing-key-passphrase-env).");
        var key = ECDsa.Create();
        try
        {
            if (encrypted) key.ImportFromEncryptedPem(pem, passphrase);
            else key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            // The exception text of a failed decryption does not contain the passphrase or key bytes, but say it in our words.
            throw new SigningKeyException(encrypted
                ? $"{path}: cannot decrypt the key (wrong passphrase, or not an EC key)."
                : $"{path}: not a PEM EC private key (PKCS#8 or SEC1 expected).");
        }
        return new EcdsaKeySigner(key, path);
    }

    /// <summary>
    /// <see cref="LoadSigner(string, string?)"/> with the passphrase read from <paramref name="passphraseFile"/> (its first
    /// line, without the line break) or from the environment variable <paramref name="passphraseVariable"/>; at most one
    /// of them. The passphrase is never logged or put in a message.
    /// </summary>
    /// <exception cref="SigningKeyException">Both sources given, the file not a regular file or unreadable, the variable unset, or the key unusable.</exception>
    public static EcdsaKeySigner LoadSigner(string path, string? passphraseFile, string? passphraseVariable)
    {
        if (passphraseFile is not null && passphraseVariable is not null)
            throw new SigningKeyException($"{path}: give the passphrase either in a file or in an environment variable, not both.");
        string? passphrase = null;
        if (passphraseFile is not null)
        {
            try { passphrase = FirstLine(InputFile.ReadAllText(passphraseFile)); }
            catch (InputFileException e)
            {
                throw new SigningKeyException($"{passphraseFile}: cannot read the signing key's passphrase: {e.Reason}.", e);
            }
        }
        else if (passphraseVariable is not null)
        {
            passphrase = Environment.GetEnvironmentVariable(passphraseVariable)
                ?? throw new SigningKeyException($"{path}: the environment variable {passphraseVariable} that should hold the key's passphrase is not set.");
        }
        return LoadSigner(path, passphrase);
    }

    /// <summary>Reads a PEM public key file (<c>BEGIN PUBLIC KEY</c>, P-256).</summary>
    /// <exception cref="SigningKeyException">Not a regular file, unreadable, or not a P-256 public key.</exception>
    public static SignatureVerifier LoadVerifier(string path)
    {
        string pem;
        try { pem = InputFile.ReadAllText(path); }
        catch (InputFileException e)
        {
            throw new SigningKeyException($"{path}: cannot read the public key: {e.Reason}.", e);
        }
        return SignatureVerifier.FromPem(pem, path);
    }

    /// <summary>The text up to its first line break (<c>\n</c>, <c>\r\n</c> or <c>\r</c>, as <see cref="File.ReadLines(string)"/> splits), or all of it.</summary>
    private static string FirstLine(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text : text[..end];
    }

    /// <summary>Fails unless <paramref name="key"/> is on NIST P-256 (OID 1.2.840.10045.3.1.7).</summary>
    /// <exception cref="SigningKeyException">Another curve.</exception>
    public static void RequireP256(ECDsa key, string source)
    {
        var curve = key.ExportParameters(false).Curve;
        if (curve.Oid?.Value != "1.2.840.10045.3.1.7" && curve.Oid?.FriendlyName is not ("nistP256" or "ECDSA_P256"))
            throw new SigningKeyException($"{source}: the key is on curve {curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "(unnamed)"}, not P-256.");
    }
}
