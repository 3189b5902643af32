namespace Promoter.Reporting;

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
