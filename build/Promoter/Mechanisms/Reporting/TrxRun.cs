using System.Globalization;
using System.Xml.Linq;

namespace Promoter.Reporting;

/// <summary>
/// One TRX file that <c>dotnet test --logger trx</c> wrote, read once: its counts, its test assembly, and its conversion
/// to JUnit XML for Prow (no JUnit logger package is served here). TRX schema: <c>TestRun/Results/UnitTestResult</c> with
/// <c>testName</c>, <c>outcome</c>, <c>duration</c> and <c>Output/ErrorInfo/Message|StackTrace</c>;
/// <c>TestRun/TestDefinitions/UnitTest</c> with <c>@storage</c> (the assembly) and <c>TestMethod/@className</c>;
/// <c>ResultSummary/Counters</c> with <c>@passed</c> and <c>@failed</c>. A skipped test is a result with outcome
/// <c>NotExecuted</c> whose <c>ErrorInfo/Message</c> is the skip reason (the counters leave skipped tests out).
/// </summary>
public sealed class TrxRun
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    private readonly XDocument _document;

    private TrxRun(string path, XDocument document)
    {
        Path = path;
        _document = document;
        var counters = document.Descendants(Ns + "Counters").FirstOrDefault()
            ?? throw new InvalidDataException($"{path}: no ResultSummary/Counters element.");
        Passed = (int?)counters.Attribute("passed") ?? 0;
        Failed = (int?)counters.Attribute("failed") ?? 0;
        var storage = (string?)document.Descendants(Ns + "UnitTest").FirstOrDefault()?.Attribute("storage");
        AssemblyName = storage is null ? null : System.IO.Path.GetFileNameWithoutExtension(storage);
        Skipped = document.Descendants(Ns + "UnitTestResult")
            .Where(r => (string?)r.Attribute("outcome") is "NotExecuted")
            .Select(r => new SkippedTest((string?)r.Attribute("testName") ?? "?",
                r.Element(Ns + "Output")?.Element(Ns + "ErrorInfo")?.Element(Ns + "Message")?.Value.Trim() is { Length: > 0 } reason ? reason : "no reason given"))
            .ToList();
    }

    /// <summary>The tests that were skipped, each with its reason.</summary>
    public IReadOnlyList<SkippedTest> Skipped { get; }

    /// <summary>The TRX file.</summary>
    public string Path { get; }

    /// <summary>Tests that passed.</summary>
    public int Passed { get; }

    /// <summary>Tests that failed.</summary>
    public int Failed { get; }

    /// <summary>The test assembly's name, or null when the file lists no test.</summary>
    public string? AssemblyName { get; }

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a TRX test run, or has no counters.</exception>
    public static TrxRun Load(string path)
    {
        var document = XDocument.Load(path);
        if (document.Root?.Name != Ns + "TestRun")
            throw new InvalidDataException($"{path}: expected a TRX <TestRun> document.");
        return new TrxRun(path, document);
    }

    /// <summary>
    /// The closing line of a test run: <c>Tests: N passed, N failed, N skipped</c>, then per skip reason
    /// <c>skipped N: reason (Class.Test, ...)</c> (at most <paramref name="namesPerReason"/> names each), so a skip is never silent.
    /// </summary>
    public static string Summary(int passed, int failed, IReadOnlyList<SkippedTest> skipped, int namesPerReason = 3)
    {
        var line = $"Tests: {passed} passed, {failed} failed, {skipped.Count} skipped";
        if (skipped.Count == 0) return line;
        var groups = skipped.GroupBy(s => OneLine(s.Reason), StringComparer.Ordinal).Select(g =>
        {
            var names = g.Select(s => ShortName(s.Name)).Distinct().ToList();
            var shown = string.Join(", ", names.Take(namesPerReason)) + (names.Count > namesPerReason ? $", {names.Count - namesPerReason} more" : "");
            return $"skipped {g.Count()}: {g.Key} ({shown})";
        });
        return line + " - " + string.Join("; ", groups);
    }

    /// <summary><c>Namespace.Class.Method(args)</c> as <c>Class.Method</c>.</summary>
    private static string ShortName(string name)
    {
        var paren = name.IndexOf('(');
        var bare = paren >= 0 ? name[..paren] : name;
        var parts = bare.Split('.');
        return parts.Length >= 2 ? $"{parts[^2]}.{parts[^1]}" : bare;
    }

    private static string OneLine(string text) => string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Writes the run as a JUnit report (one suite named <paramref name="suiteName"/>) to <paramref name="junitPath"/>.</summary>
    /// <returns>The number of cases written.</returns>
    public int WriteJUnit(string junitPath, string suiteName)
    {
        var classes = _document.Descendants(Ns + "UnitTest").ToDictionary(
            t => (string?)t.Attribute("id") ?? "",
            t => (string?)t.Element(Ns + "TestMethod")?.Attribute("className") ?? suiteName);

        var cases = _document.Descendants(Ns + "UnitTestResult").Select(r =>
        {
            var outcome = (string?)r.Attribute("outcome") ?? "";
            var error = r.Element(Ns + "Output")?.Element(Ns + "ErrorInfo");
            var message = error is null ? null
                : $"{error.Element(Ns + "Message")?.Value}\n{error.Element(Ns + "StackTrace")?.Value}".Trim();
            var duration = TimeSpan.TryParse((string?)r.Attribute("duration"), CultureInfo.InvariantCulture, out var d) ? d : TimeSpan.Zero;
            var className = classes.GetValueOrDefault((string?)r.Attribute("testId") ?? "", suiteName);
            return new JUnitCase(className, (string?)r.Attribute("testName") ?? "?", duration,
                Failure: outcome == "Failed" ? message ?? "failed" : null,
                Skipped: outcome is "NotExecuted" or "Inconclusive" ? message ?? "skipped" : null);
        }).ToList();

        JUnitXml.Write(junitPath, suiteName, cases);
        return cases.Count;
    }
}
