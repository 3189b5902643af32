using Promoter.Oci;

namespace Promoter.E2E;

/// <summary>What <see cref="SignedSource.AttachAsync"/> attached to one source digest.</summary>
/// <param name="Repository">The source repository.</param>
/// <param name="Subject">The digest.</param>
/// <param name="Signature">The <c>sha256-&lt;hex&gt;.sig</c> manifest digest.</param>
/// <param name="Attestation">The <c>sha256-&lt;hex&gt;.att</c> manifest digest.</param>
/// <param name="Referrer">The SBOM referrer manifest digest (listed by the <c>sha256-&lt;hex&gt;</c> index).</param>
public sealed record AttachedSubject(string Repository, Digest Subject, Digest Signature, Digest Attestation, Digest Referrer);
