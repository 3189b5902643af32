namespace Promoter.Attachments;

/// <summary>What an attachment tag holds.</summary>
public enum AttachmentKind
{
    /// <summary><c>sha256-&lt;hex&gt;.sig</c>: cosign signatures, one simple-signing layer per signature.</summary>
    Signature,
    /// <summary><c>sha256-&lt;hex&gt;.att</c>: cosign attestations, one DSSE envelope layer per attestation.</summary>
    Attestation,
    /// <summary><c>sha256-&lt;hex&gt;.sbom</c>: a cosign-attached SBOM (one document).</summary>
    Sbom,
    /// <summary><c>sha256-&lt;hex&gt;</c>: the OCI referrers tag schema fallback, an index of the manifests whose subject is the digest.</summary>
    ReferrersIndex,
}
