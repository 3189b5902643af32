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

/// <summary>One refused edge, listed before everything else.</summary>
/// <param name="Image">The image name.</param>
/// <param name="Destination">The destination registry (with its path).</param>
/// <param name="Reference">The destination tag, or the digest of a tagless edge.</param>
/// <param name="Reason">The whole refusal line, as the log and the failure message say it (names the digests).</param>
public sealed record ReportRefusal(string Image, string Destination, string Reference, string Reason);

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

/// <summary>The requests sent to one registry host.</summary>
/// <param name="Host">The host as contacted.</param>
/// <param name="Requests">Requests sent (retries included).</param>
/// <param name="Retries">Attempts that repeated a failed one.</param>
/// <param name="TooManyRequests">429 answers.</param>
/// <param name="ServerErrors">5xx answers.</param>
/// <param name="Failures">Requests that ended without an answer or timed out.</param>
public sealed record ReportHost(string Host, long Requests, long Retries, long TooManyRequests, long ServerErrors, long Failures);

/// <summary>A labelled figure (a count, a size, a duration) of the report.</summary>
/// <param name="Label">What it is, e.g. <c>bytes uploaded</c>.</param>
/// <param name="Value">Its value as shown, e.g. <c>3.1 MiB</c>.</param>
public sealed record ReportFigure(string Label, string Value);

/// <summary>
/// Everything a run's report page shows, plain data (<see cref="HtmlReport"/>, <see cref="MarkdownReport"/>): the verdict
/// and failure message, the refused edges, the image x destination matrix, figures, timings and requests per host.
/// </summary>
/// <param name="Title">The page title.</param>
/// <param name="Verdict">One line: how the run ended.</param>
/// <param name="Failed">True when the run failed (refused, or an error).</param>
/// <param name="Message">The failure message as the log ended with it (several lines); null when the run did not fail.</param>
/// <param name="Generated">When the report was made.</param>
/// <param name="Refusals">The refused edges, in order.</param>
/// <param name="Images">The matrix rows, in order.</param>
/// <param name="Destinations">The matrix columns, in order.</param>
/// <param name="Cells">The non-empty cells (an image and destination without edges has none).</param>
/// <param name="Figures">Counts and sizes (edges, manifests, blobs, tags, bytes, requests).</param>
/// <param name="Timings">How long each step took, and the whole.</param>
/// <param name="Hosts">Requests per registry host, ordered by host.</param>
public sealed record RunReport(string Title, string Verdict, bool Failed, string? Message, DateTimeOffset Generated,
    IReadOnlyList<ReportRefusal> Refusals, IReadOnlyList<string> Images, IReadOnlyList<string> Destinations, IReadOnlyList<ReportCell> Cells,
    IReadOnlyList<ReportFigure> Figures, IReadOnlyList<ReportFigure> Timings, IReadOnlyList<ReportHost> Hosts)
{
    /// <summary>The label a cell shows for <paramref name="state"/>.</summary>
    public static string Label(CellState state) => state switch
    {
        CellState.Written => "promoted",
        CellState.NotWritten => "not written",
        CellState.AlreadyThere => "already there",
        CellState.Refused => "refused",
        CellState.Lost => "lost",
        _ => state.ToString(),
    };

    /// <summary>The states in the order a cell lists them: refusals first.</summary>
    public static IReadOnlyList<CellState> Order { get; } =
        [CellState.Refused, CellState.Lost, CellState.Written, CellState.NotWritten, CellState.AlreadyThere];

    /// <summary>The cell of <paramref name="image"/> in <paramref name="destination"/>, or null when it has no edge.</summary>
    public ReportCell? Cell(string image, string destination) => _index.Value.GetValueOrDefault((image, destination));

    private readonly Lazy<Dictionary<(string, string), ReportCell>> _index = new(() => Cells.ToDictionary(c => (c.Image, c.Destination)));

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> whole (through a temporary file), creating its folder.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void WriteFile(string path, string text)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
