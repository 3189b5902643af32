using Promoter.Oci;

namespace Promoter.Attachments;

/// <summary>
/// The tag names under which attachments of a digest live: cosign's tag-based discovery (sigstore/cosign
/// <c>specs/SIGNATURE_SPEC.md</c> "Tag-based Discovery": replace <c>:</c> with <c>-</c>, append <c>.sig</c>; <c>.att</c>
/// and <c>.sbom</c> follow the same rule) and the OCI distribution spec 1.1 "Referrers Tag Schema" fallback
/// (<c>&lt;alg&gt;-&lt;ref&gt;</c>, no suffix).
/// </summary>
public static class AttachmentTags
{
    /// <summary>The cosign kinds, in the order they are looked up.</summary>
    public static IReadOnlyList<AttachmentKind> CosignKinds { get; } = [AttachmentKind.Signature, AttachmentKind.Attestation, AttachmentKind.Sbom];

    /// <summary>The tag of <paramref name="kind"/> for <paramref name="subject"/>, e.g. <c>sha256-ab12….sig</c>.</summary>
    public static string For(Digest subject, AttachmentKind kind) => kind switch
    {
        AttachmentKind.Signature => $"sha256-{subject.Hex}.sig",
        AttachmentKind.Attestation => $"sha256-{subject.Hex}.att",
        AttachmentKind.Sbom => $"sha256-{subject.Hex}.sbom",
        AttachmentKind.ReferrersIndex => $"sha256-{subject.Hex}",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an attachment kind"),
    };

    /// <summary>Reads an attachment tag back: the digest it is about and its kind; false for any other tag.</summary>
    public static bool TryParse(string tag, out Digest subject, out AttachmentKind kind)
    {
        subject = default;
        kind = default;
        if (!tag.StartsWith("sha256-", StringComparison.Ordinal)) return false;
        var rest = tag["sha256-".Length..];
        var dot = rest.IndexOf('.');
        var hex = dot < 0 ? rest : rest[..dot];
        var suffix = dot < 0 ? "" : rest[dot..];
        AttachmentKind? parsed = suffix switch
        {
            ".sig" => AttachmentKind.Signature,
            ".att" => AttachmentKind.Attestation,
            ".sbom" => AttachmentKind.Sbom,
            "" => AttachmentKind.ReferrersIndex,
            _ => null,
        };
        if (parsed is null || !Digest.TryParse("sha256:" + hex, out subject)) return false;
        kind = parsed.Value;
        return true;
    }
}
