using System.Globalization;
using System.Xml.Linq;
using Promoter.Reporting;

namespace Build.Reports;

/// <summary>
/// Turns the TRX files that <c>dotnet test --logger trx</c> writes into JUnit XML for Prow
/// (no JUnit logger package is served here). TRX schema: <c>TestRun/Results/UnitTestResult</c> with
/// <c>testName</c>, <c>outcome</c>, <c>duration</c> and <c>Output/ErrorInfo/Message|StackTrace</c>;
/// <c>TestRun/TestDefinitions/UnitTest/TestMethod/@className</c> gives the class.
/// </summary>
public static class TrxToJUnit
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>Reads <paramref name="trxPath"/> and writes the JUnit report to <paramref name="junitPath"/>.</summary>
    /// <returns>The number of cases written.</returns>
    /// <exception cref="InvalidDataException">The file is not a TRX test run.</exception>
    public static int Convert(string trxPath, string junitPath, string suiteName)
    {
        var document = XDocument.Load(trxPath);
        if (document.Root?.Name != Ns + "TestRun")
            throw new InvalidDataException($"{trxPath}: expected a TRX <TestRun> document.");

        var classes = document.Descendants(Ns + "UnitTest").ToDictionary(
            t => (string?)t.Attribute("id") ?? "",
            t => (string?)t.Element(Ns + "TestMethod")?.Attribute("className") ?? suiteName);

        var cases = document.Descendants(Ns + "UnitTestResult").Select(r =>
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

    /// <summary>The passed and failed counts of a TRX file (<c>ResultSummary/Counters</c>).</summary>
    /// <exception cref="InvalidDataException">The file has no counters.</exception>
    public static (int Passed, int Failed) Count(string trxPath)
    {
        var counters = XDocument.Load(trxPath).Descendants(Ns + "Counters").FirstOrDefault()
            ?? throw new InvalidDataException($"{trxPath}: no ResultSummary/Counters element.");
        return ((int?)counters.Attribute("passed") ?? 0, (int?)counters.Attribute("failed") ?? 0);
    }

    /// <summary>The test assembly's name (from <c>UnitTest/@storage</c>), or null when the file lists no test.</summary>
    public static string? AssemblyName(string trxPath)
    {
        var storage = (string?)XDocument.Load(trxPath).Descendants(Ns + "UnitTest").FirstOrDefault()?.Attribute("storage");
        return storage is null ? null : Path.GetFileNameWithoutExtension(storage);
    }
}
