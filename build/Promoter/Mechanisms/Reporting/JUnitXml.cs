using System.Globalization;
using System.Xml.Linq;

namespace Promoter.Reporting;

/// <summary>
/// Writes JUnit XML in the shape Prow's Spyglass and TestGrid read (<c>testsuites/testsuite/testcase</c> with
/// <c>failure</c> and <c>skipped</c> children; times in seconds).
/// </summary>
public static class JUnitXml
{
    /// <summary>Writes <paramref name="cases"/> as one suite named <paramref name="suiteName"/> to <paramref name="path"/>.</summary>
    /// <param name="path">Target file; its folder is created. Written whole through a temporary file.</param>
    /// <param name="suiteName">The <c>testsuite</c> name.</param>
    /// <param name="cases">The cases, in order.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, string suiteName, IReadOnlyList<JUnitCase> cases)
    {
        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        var failures = cases.Count(c => c.Failure is not null);
        var skipped = cases.Count(c => c.Skipped is not null);
        var total = TimeSpan.FromTicks(cases.Sum(c => c.Duration.Ticks));
        var suite = new XElement("testsuite",
            new XAttribute("name", suiteName),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", 0),
            new XAttribute("skipped", skipped),
            new XAttribute("time", Seconds(total)),
            cases.Select(c => new XElement("testcase",
                new XAttribute("classname", c.ClassName),
                new XAttribute("name", c.Name),
                new XAttribute("time", Seconds(c.Duration)),
                c.Failure is null ? null : new XElement("failure", new XAttribute("message", FirstLine(c.Failure)), c.Failure),
                c.Skipped is null ? null : new XElement("skipped", new XAttribute("message", c.Skipped)),
                c.Output is null ? null : new XElement("system-out", c.Output))));
        var document = new XDocument(new XElement("testsuites",
            new XAttribute("tests", cases.Count), new XAttribute("failures", failures),
            new XAttribute("time", Seconds(total)), suite));

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = path + ".tmp";
        document.Save(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n');
        return end < 0 ? text : text[..end].TrimEnd('\r');
    }
}
