namespace Promoter.Attachments;

/// <summary>One signature of a DSSE envelope.</summary>
/// <param name="KeyId">The envelope's <c>keyid</c> (may be empty; cosign writes <c>""</c> for key-based attestations).</param>
/// <param name="SignatureBase64">The <c>sig</c> field: base64 of the ASN.1 DER ECDSA signature over the PAE bytes.</param>
public sealed record DsseSignature(string KeyId, string SignatureBase64);
