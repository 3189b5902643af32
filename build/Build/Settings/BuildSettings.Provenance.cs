using Promoter.Promotion.Engine;
using static Build.Settings.SettingParsers;

namespace Build.Settings;

// Provenance checked before promotion (issue 29): kpromo's verification of staging images' SLSA provenance, as a key-based
// requirement. The promotion records written with --sign need no setting of their own.
public sealed partial class BuildSettings
{
    /// <summary>
    /// The settings of this file. A nested class, so that they are initialised before <see cref="All"/> reads them (static
    /// fields of one type spread over partial files initialise in no documented order).
    /// </summary>
    public static class ProvenanceFlags
    {
        /// <summary><c>--require-provenance</c>: refuse source digests whose SLSA provenance is missing or not signed by this key.</summary>
        public static readonly Setting<string?> RequireProvenance = new("require-provenance", "PUBKEY", null, "",
            "Promote: PEM public key; a source digest whose SLSA provenance (https://slsa.dev/provenance/v1, cosign .att or sigstore bundle referrer) is missing, not signed by it, not about the digest, or of another builder or source repository is refused",
            "Promote", Text);

        /// <summary><c>--provenance</c>: <c>require</c> (missing provenance refuses) or <c>verify-if-present</c> (kpromo's default).</summary>
        public static readonly Setting<ProvenanceMode> Provenance = new("provenance", "require|verify-if-present", ProvenanceMode.Require, "require",
            "Promote: with --require-provenance, whether a digest without provenance is refused (require) or only provenance that is present is checked (verify-if-present, kpromo's default)",
            "Promote", Choice(("require", ProvenanceMode.Require), ("verify-if-present", ProvenanceMode.VerifyIfPresent)));

        /// <summary><c>--provenance-builder-id</c>: the builder the provenance must name.</summary>
        public static readonly Setting<string?> ProvenanceBuilderId = new("provenance-builder-id", "ID", null, "",
            "Promote: with --require-provenance, the builder the provenance must name (runDetails.builder.id; without '@', any ref of it)", "Promote", Text);

        /// <summary><c>--provenance-source-repo</c>: the source repository the provenance must name.</summary>
        public static readonly Setting<string?> ProvenanceSourceRepo = new("provenance-source-repo", "REPO", null, "",
            "Promote: with --require-provenance, a source repository the provenance must name (resolvedDependencies uri; scheme, git+, @ref and .git ignored)",
            "Promote", Text);

        /// <summary>Every setting of this class, in the order help lists them.</summary>
        public static IReadOnlyList<SettingDeclaration> All { get; } = [RequireProvenance, Provenance, ProvenanceBuilderId, ProvenanceSourceRepo];
    }
}
