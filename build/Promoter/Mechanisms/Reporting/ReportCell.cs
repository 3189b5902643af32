namespace Promoter.Reporting;

/// <summary>One cell of the image x destination matrix.</summary>
/// <param name="Image">The row.</param>
/// <param name="Destination">The column.</param>
/// <param name="Counts">How many edges ended in each state (states with none may be absent).</param>
/// <param name="Reasons">The refusal and lost lines of the cell's edges, in order.</param>
public sealed record ReportCell(string Image, string Destination, IReadOnlyDictionary<CellState, int> Counts, IReadOnlyList<string> Reasons)
{
    /// <summary>The edges of <paramref name="state"/> in this cell.</summary>
    public int this[CellState state] => Counts.TryGetValue(state, out var n) ? n : 0;
}
