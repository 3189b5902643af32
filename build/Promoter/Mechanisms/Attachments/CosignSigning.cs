using System.Security.Cryptography;
using Promoter.Inputs;

namespace Promoter.Attachments;

/// <summary>Makes cosign signatures of simple-signing payloads. Key-based signing is <see cref="EcdsaKeySigner"/>; keyless
/// signing (a Fulcio certificate and a Rekor entry) would be another implementation (see <c>Attachments/README.md</c>).</summary>
public interface IImageSigner
{
    /// <summary>Names the signer in logs (the public key's fingerprint, never the key).</summary>
    string Description { get; }

    /// <summary>Signs the exact bytes of a payload.</summary>
    /// <returns>The signature as stored in the layer annotation: base64 of the DER ECDSA signature.</returns>
    string Sign(byte[] payload);

    /// <summary>The verifier of this signer's signatures.</summary>
    SignatureVerifier Verifier { get; }
}

/// <summary>Why a cosign signature layer was not accepted (null when it was).</summary>
public sealed record SignatureProblem(string Reason);

/// <summary>
/// Verifies cosign key-based signatures: ECDSA P-256 over SHA-256 of the payload bytes (SIGNATURE_SPEC.md "Signature
/// Schemes" / "Hashing Algorithms"), the signature being base64 of an ASN.1 DER sequence (as Go's
/// <c>ecdsa.SignASN1</c> writes, and <c>openssl dgst -sha256 -verify</c> reads).
/// </summary>
public sealed class SignatureVerifier
{
    private readonly ECDsa _key;

    private SignatureVerifier(ECDsa key, string fingerprint)
    {
        _key = key;
        Fingerprint = fingerprint;
    }

    /// <summary><c>sha256:</c> of the DER SubjectPublicKeyInfo, to name the key in messages.</summary>
    public string Fingerprint { get; }

    /// <summary>Reads a PEM public key (<c>-----BEGIN PUBLIC KEY-----</c>, SubjectPublicKeyInfo) of curve P-256.</summary>
    /// <exception cref="SigningKeyException">Not a PEM EC public key, or not P-256; the message names the file.</exception>
    public static SignatureVerifier FromPem(string pem, string source)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new SigningKeyException($"{source}: not a PEM EC public key ({e.Message}).");
        }
        return FromKey(key, source);
    }

    /// <summary>The verifier of <paramref name="key"/>'s public half.</summary>
    /// <exception cref="SigningKeyException">The key is not on curve P-256.</exception>
    public static SignatureVerifier FromKey(ECDsa key, string source)
    {
        SigningKeys.RequireP256(key, source);
        var publicKey = ECDsa.Create(key.ExportParameters(false));
        return new SignatureVerifier(publicKey, Oci.Digest.Of(publicKey.ExportSubjectPublicKeyInfo()).Value);
    }

    /// <summary>The public key as PEM (<c>-----BEGIN PUBLIC KEY-----</c>, SubjectPublicKeyInfo), as <c>openssl pkey -pubout</c> writes it.</summary>
    public string PublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>True when <paramref name="signatureBase64"/> is a valid signature of <paramref name="payload"/> for this key.</summary>
    public bool Verify(byte[] payload, string signatureBase64)
    {
        byte[] signature;
        try { signature = Convert.FromBase64String(signatureBase64); }
        catch (FormatException) { return false; }
        try { return _key.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence); }
        catch (CryptographicException) { return false; }
    }

    /// <summary>
    /// Checks one signature layer against the payload blob it names: the signature verifies for this key, the payload is
    /// a cosign simple-signing payload, it names <paramref name="digest"/>, and (when given) the repository
    /// <paramref name="dockerReference"/>.
    /// </summary>
    /// <returns>null when valid, else why not.</returns>
    public SignatureProblem? Check(AttachmentLayer layer, byte[] payload, Oci.Digest digest, string? dockerReference = null)
    {
        if (layer.MediaType != AttachmentManifests.SimpleSigningMediaType)
            return new SignatureProblem($"layer {layer.Digest} has media type '{layer.MediaType}', not a simple-signing payload");
        if (Oci.Digest.Of(payload) != layer.Digest) return new SignatureProblem($"payload bytes do not hash to {layer.Digest}");
        if (!layer.Annotations.TryGetValue(AttachmentManifests.SignatureAnnotation, out var signature))
            return new SignatureProblem($"layer {layer.Digest} has no {AttachmentManifests.SignatureAnnotation} annotation");
        if (!Verify(payload, signature)) return new SignatureProblem($"the signature of layer {layer.Digest} is not valid for key {Fingerprint}");
        SimpleSigningPayload parsed;
        try { parsed = SimpleSigningPayload.Parse(payload, $"payload {layer.Digest}"); }
        catch (FormatException e) { return new SignatureProblem(e.Message); }
        if (parsed.ManifestDigest != digest) return new SignatureProblem($"the payload signs {parsed.ManifestDigest}, not {digest}");
        if (dockerReference is not null && parsed.DockerReference != dockerReference)
            return new SignatureProblem($"the payload names {parsed.DockerReference}, not {dockerReference}");
        return null;
    }
}

/// <summary>Signs with an ECDSA P-256 private key (cosign's key-based signing; SIGNATURE_SPEC.md "Signature Schemes").</summary>
public sealed class EcdsaKeySigner : IImageSigner, IDisposable
{
    private readonly ECDsa _key;

    /// <summary>Takes ownership of <paramref name="key"/>.</summary>
    /// <exception cref="SigningKeyException">The key is not on curve P-256.</exception>
    public EcdsaKeySigner(ECDsa key, string source)
    {
        Verifier = SignatureVerifier.FromKey(key, source);
        _key = key;
    }

    /// <inheritdoc />
    public string Description => $"ECDSA P-256 key {Verifier.Fingerprint}";

    /// <inheritdoc />
    public SignatureVerifier Verifier { get; }

    /// <inheritdoc />
    public string Sign(byte[] payload) =>
        Convert.ToBase64String(_key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    /// <inheritdoc />
    public override string ToString() => Description;
}

/// <summary>A signing or verification key cannot be read or used; the message names the file, never the key or passphrase.</summary>
public sealed class SigningKeyException(string message, Exception? inner = null) : PromoterException(message, inner);

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
