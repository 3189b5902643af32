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
