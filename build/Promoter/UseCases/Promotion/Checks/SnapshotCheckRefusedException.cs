namespace Promoter.Promotion.Checks;

/// <summary>
/// The offline check refused the manifests: a tag move, an overlapping edge, a digest the source's snapshot lacks, or a
/// destination no snapshot covers. The message's first line sums up; then one line per refused edge with the manifest's
/// <c>file:line</c>.
/// </summary>
public sealed class SnapshotCheckRefusedException : PromoterRefusalException
{
    /// <summary>Creates the refusal from the listing's lines of the refused edges (at least one).</summary>
    public SnapshotCheckRefusedException(IReadOnlyList<string> refused)
        : base($"{refused.Count} edge(s) refused against the committed snapshots (no registry was contacted):\n  " + string.Join("\n  ", refused)) =>
        Refused = refused;

    /// <summary>The refused edges' lines.</summary>
    public IReadOnlyList<string> Refused { get; }
}
