namespace Promoter.Reporting;

/// <summary>What happened to the edges of one image in one destination, as one cell of a <see cref="RunReport"/>'s matrix counts it.</summary>
public enum CellState
{
    /// <summary>Written by the run (shown as "promoted").</summary>
    Written,
    /// <summary>To be written, but the run wrote nothing (a dry run, or a run refused or failed before writing).</summary>
    NotWritten,
    /// <summary>Already in the destination; nothing to do.</summary>
    AlreadyThere,
    /// <summary>Refused; the reason is among the cell's <see cref="ReportCell.Reasons"/>.</summary>
    Refused,
    /// <summary>The source does not hold the digest.</summary>
    Lost,
}
