using System.Security.Cryptography;

namespace Promoter.Attachments;

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
