using Promoter.Attachments;

namespace Promoter.Promotion.Engine;

/// <summary>
/// The attachment and signature flags of a promotion (the build program reads them from its settings):
/// <c>--copy-attachments[=false]</c>, <c>--sign</c>, <c>--signing-key=FILE</c>, <c>--signing-key-passphrase-file=FILE</c>,
/// <c>--signing-key-passphrase-env=NAME</c>, <c>--require-signature=PUBKEY</c>. Keys are read once all flags are in.
/// </summary>
public sealed class SigningArguments
{
    /// <summary><c>--copy-attachments</c> (default true).</summary>
    public bool CopyAttachments { get; set; } = true;

    /// <summary><c>--sign</c>.</summary>
    public bool Sign { get; set; }

    /// <summary><c>--signing-key</c>: a PEM private key file.</summary>
    public string? SigningKey { get; set; }

    /// <summary><c>--signing-key-passphrase-file</c>.</summary>
    public string? PassphraseFile { get; set; }

    /// <summary><c>--signing-key-passphrase-env</c>: the name of the variable holding the passphrase.</summary>
    public string? PassphraseVariable { get; set; }

    /// <summary><c>--require-signature</c>: a PEM public key file.</summary>
    public string? RequireSignature { get; set; }

    /// <summary><c>--require-provenance</c>: a PEM public key file the source digests' SLSA provenance must be signed with.</summary>
    public string? RequireProvenance { get; set; }

    /// <summary><c>--provenance</c>: require (the default) or verify-if-present; null when not given.</summary>
    public ProvenanceMode? Provenance { get; set; }

    /// <summary><c>--provenance-builder-id</c>.</summary>
    public string? ProvenanceBuilderId { get; set; }

    /// <summary><c>--provenance-source-repo</c>.</summary>
    public string? ProvenanceSourceRepository { get; set; }

    /// <summary>The policy with these flags applied: keys read, the signer made.</summary>
    /// <exception cref="FormatException">--sign without --signing-key, a key flag without --sign, or a provenance flag without
    /// --require-provenance.</exception>
    /// <exception cref="SigningKeyException">A key cannot be read, decrypted or used (the message names the file, never the key).</exception>
    public PromotionPolicy Apply(PromotionPolicy policy)
    {
        if (Sign && SigningKey is null) throw new FormatException("--sign needs --signing-key=FILE (a PEM EC P-256 private key).");
        if (!Sign && (SigningKey ?? PassphraseFile ?? PassphraseVariable) is not null)
            throw new FormatException("--signing-key and its passphrase flags are only read with --sign.");
        if (RequireProvenance is null && (Provenance is not null || (ProvenanceBuilderId ?? ProvenanceSourceRepository) is not null))
            throw new FormatException("--provenance, --provenance-builder-id and --provenance-source-repo are only read with --require-provenance=PUBKEY.");
        return policy with
        {
            RequiredProvenance = RequireProvenance is null ? null
                : new ProvenanceRequirement(SigningKeys.LoadVerifier(RequireProvenance), Provenance ?? ProvenanceMode.Require, ProvenanceBuilderId,
                    ProvenanceSourceRepository),
            CopyAttachments = CopyAttachments,
            Signer = Sign ? SigningKeys.LoadSigner(SigningKey!, PassphraseFile, PassphraseVariable) : null,
            RequiredSignature = RequireSignature is null ? null : SigningKeys.LoadVerifier(RequireSignature),
        };
    }
}
