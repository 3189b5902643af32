namespace Promoter.E2E;

/// <summary>
/// Checks one signature outside the project's code: true when <c>data</c> verifies against <c>signatureDer</c> (ASN.1 DER
/// ECDSA) with the public key file (the build program runs <c>openssl dgst -sha256 -verify KEY -signature SIG DATA</c>).
/// </summary>
public delegate Task<bool> ExternalSignatureCheck(string publicKeyFile, byte[] data, byte[] signatureDer, CancellationToken cancellationToken);
