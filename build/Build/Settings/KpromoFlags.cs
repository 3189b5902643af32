namespace Build.Settings;

/// <summary>
/// Every flag of kpromo's <c>cip</c> command (kubernetes-sigs/promo-tools <c>cmd/kpromo/cmd/cip/cip.go</c>, the current
/// one and the older <c>cip run</c> flags <c>--threads</c>, <c>--dry-run</c>, <c>--use-service-account</c>,
/// <c>--key-files</c>...) and the root's <c>--log-level</c>, classified: implemented, or rejected with a clear message
/// naming the flag. <c>build/Promoter/UseCases/Promotion/README.md</c> lists the table.
/// </summary>
public static class KpromoFlags
{
    /// <summary>The flags, in kpromo's order.</summary>
    public static IReadOnlyList<KpromoFlag> All { get; } =
    [
        Implemented("confirm", "act; otherwise a dry run"),
        Implemented("manifest", "a promoter manifest"),
        Implemented("thin-manifest-dir", "a thin-manifest directory"),
        Implemented("threads", "registry operations at once (older cip)"),
        Implemented("dry-run", "older cip: --dry-run=false acts like --confirm"),
        Implemented("use-prow-manifest-diff", "Promote: only the manifest entries changed in the Prow job's commit range"),
        Implemented("manifest-diff-since", "Promote: only the manifest entries changed since a git revision (kpromo: a duration such as \"7 days\"; both are taken)"),
        Implemented("parse-only", "Promote: validate the manifests, no network at all"),
        Implemented("snapshot", "Promote: print a registry's snapshot"),
        Implemented("snapshot-tag", "Promote: only images carrying this tag in a snapshot"),
        Implemented("minimal-snapshot", "Promote: leave out tagless children of manifest lists in a snapshot"),
        Implemented("output", "Promote: snapshot format yaml or csv"),
        Implemented("manifest-based-snapshot-of", "Promote: the snapshot a registry would have after promoting the manifests, from the manifests alone"),
        Implemented("use-service-account", "each registry's service-account: from the manifest, by gcloud impersonation"),
        Rejected("log-level", "this project's log level is Cake's --verbosity (-v quiet|minimal|normal|verbose|diagnostic)"),
        Rejected("json-log-summary", "no JSON log summary; with ARTIFACTS set the plan goes to junit_promotion.xml and --plan-out writes it as JSON"),
        Rejected("key-files", "service-account key files are not activated; credentials come from docker's config.json, gcloud or the metadata server"),
        Rejected("check-manifest-lists-from-snapshot", "the manifest-list check of a snapshot file is not implemented"),
        Rejected("repository", "only used by --check-manifest-lists-from-snapshot, which is not implemented"),
        Rejected("snapshot-service-account", "a snapshot uses the run's credentials; no separate service account"),
        Rejected("max-image-size", "no image size limit (kpromo keeps the flag hidden and unused)"),
        Rejected("signer-account", "keyless signing (Fulcio, a service account's identity) is not implemented; --sign signs with --signing-key"),
        Implemented("sign", "Promote: sign each promoted digest in each destination; cosign's key-based format with --signing-key (kpromo signs keyless)"),
        Rejected("max-signature-copies", "signatures travel with --copy-attachments as edges of the plan; how many at once is --threads"),
        Rejected("max-signature-ops", "signing runs with the plan's writes; how many at once is --threads"),
        Rejected("certificate-identity", "keyless signatures (Fulcio certificates) are not verified; --require-signature checks a public key"),
        Rejected("certificate-oidc-issuer", "keyless signatures (Fulcio certificates) are not verified; --require-signature checks a public key"),
        Rejected("certificate-identity-regexp", "keyless signatures (Fulcio certificates) are not verified; --require-signature checks a public key"),
        Rejected("certificate-oidc-issuer-regexp", "keyless signatures (Fulcio certificates) are not verified; --require-signature checks a public key"),
        Rejected("vuln-severity-threshold", "no vulnerability check (kpromo asks Google's Container Analysis, which cannot be reached here)"),
    ];

    /// <summary>The message refusing <paramref name="name"/> when it is a kpromo flag this project does not implement, else null.</summary>
    /// <param name="name">A flag name without dashes, any case.</param>
    public static string? Refusal(string name) =>
        All.FirstOrDefault(f => f.Status == KpromoFlagStatus.Rejected && string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)) is { } flag
            ? $"kpromo's --{flag.Name} is not implemented by this project and is refused rather than ignored: {flag.Note}."
            : null;

    private static KpromoFlag Implemented(string name, string note) => new(name, KpromoFlagStatus.Implemented, note);

    private static KpromoFlag Rejected(string name, string note) => new(name, KpromoFlagStatus.Rejected, note);
}
