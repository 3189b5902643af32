using Promoter.Oci;

namespace Promoter.E2E;

/// <summary>The committed signatures of one source digest: of its simple-signing payload and of its attestation's DSSE PAE.</summary>
/// <param name="Reference">The source repository the payloads name, e.g. <c>staging.registry.test/k8s-staging-cip-test/golden-foo/foo</c>.</param>
/// <param name="Digest">The signed manifest digest.</param>
/// <param name="Signature">Base64 DER ECDSA P-256 signature of <see cref="SignedSource.SignaturePayload"/>.</param>
/// <param name="Attestation">Base64 DER ECDSA P-256 signature of the DSSE PAE of <see cref="SignedSource.Statement"/>.</param>
public sealed record SourceSignature(string Reference, Digest Digest, string Signature, string Attestation);
