namespace Promoter.E2E;

/// <summary>The figures of one <see cref="AttachmentAudit"/> of a registry path.</summary>
/// <param name="RegistryName">The registry path audited.</param>
/// <param name="Digests">Image digests found (manifests that are not attachments), each required to have its attachments.</param>
/// <param name="Signatures"><c>.sig</c> layers whose signature the external check verified over their payload naming the digest.</param>
/// <param name="Attestations"><c>.att</c> DSSE envelope signatures verified over the PAE of a statement naming the digest.</param>
/// <param name="Referrers">Referrer manifests listed by the fallback index whose <c>subject</c> is the digest.</param>
/// <param name="TamperedRejected">Whether a tampered payload (one byte of the digest changed) was rejected by the external check.</param>
/// <param name="Problems">What is missing or does not verify; empty when the audit passed.</param>
public sealed record AttachmentAuditResult(string RegistryName, int Digests, int Signatures, int Attestations, int Referrers,
    bool TamperedRejected, IReadOnlyList<string> Problems)
{
    /// <summary>With a record key: promotion records whose DSSE signature openssl verified over the PAE of a statement naming
    /// the digest and this destination (one per image digest).</summary>
    public int Records { get; init; }

    /// <summary>With a record key: the tampered record openssl rejected (<c>destination@digest</c>), or null when none was.</summary>
    public string? TamperedRecordRejected { get; init; }

    /// <summary>With a record key: the digests the run's signing made (promotion records, <c>.sig</c> manifests holding a
    /// signature of the key, referrers indexes listing a record); their bytes change every run (a timestamp, a randomized
    /// ECDSA signature), so the snapshot compare leaves them to this audit.</summary>
    public IReadOnlySet<string> RunMade { get; init; } = new HashSet<string>();

    /// <summary>True when every digest has its attachments, every signature verified, and tampering was caught.</summary>
    public bool Passed => Problems.Count == 0 && Digests > 0 && Signatures > 0 && TamperedRejected;

    /// <summary>One line of figures, e.g. <c>us.registry.test/prod: 6 digest(s), 6 .sig verified by openssl, …</c>.</summary>
    public override string ToString() =>
        $"{RegistryName}: {Digests} digest(s), {Signatures} .sig signature(s) and {Attestations} .att envelope signature(s) verified by openssl, " +
        $"{Referrers} referrer(s); tampered payload {(TamperedRejected ? "rejected" : "NOT rejected")}" +
        (TamperedRecordRejected is null && Records == 0 ? "" :
            $"; {Records} promotion record(s) verified by openssl; tampered record {(TamperedRecordRejected is { } t ? "of " + t + " rejected" : "NOT rejected")}");
}
