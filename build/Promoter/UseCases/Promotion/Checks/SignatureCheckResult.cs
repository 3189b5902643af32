namespace Promoter.Promotion.Checks;

/// <summary>What <see cref="SignatureCheck"/> found and did.</summary>
/// <param name="Checked">Destination digests checked (those already in their destination; children of indexes included in the
/// attachment lookup).</param>
/// <param name="Findings">One line per destination signature tag that is missing (<c>MISSING</c>) or lacks signatures the
/// source holds (<c>DIFFERS</c>).</param>
/// <param name="NotPromoted">Edges whose digest is not in the destination yet (a promotion's business, not checked).</param>
/// <param name="Fixed">Whether the findings were written (copied or merged) in this run.</param>
public sealed record SignatureCheckResult(int Checked, IReadOnlyList<string> Findings, int NotPromoted, bool Fixed);
