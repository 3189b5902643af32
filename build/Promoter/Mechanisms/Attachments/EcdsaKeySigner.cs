using System.Security.Cryptography;

namespace Promoter.Attachments;

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
