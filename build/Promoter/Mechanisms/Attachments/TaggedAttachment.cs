using Promoter.Registry;

namespace Promoter.Attachments;

/// <summary>A cosign attachment found under its tag.</summary>
/// <param name="Kind">Signature, attestation or SBOM.</param>
/// <param name="Tag">The tag, e.g. <c>sha256-ab12….sig</c>.</param>
/// <param name="Manifest">The manifest the tag names, exactly as served.</param>
public sealed record TaggedAttachment(AttachmentKind Kind, string Tag, ManifestContent Manifest);
