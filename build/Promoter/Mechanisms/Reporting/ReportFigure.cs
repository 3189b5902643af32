namespace Promoter.Reporting;

/// <summary>A labelled figure (a count, a size, a duration) of the report.</summary>
/// <param name="Label">What it is, e.g. <c>bytes uploaded</c>.</param>
/// <param name="Value">Its value as shown, e.g. <c>3.1 MiB</c>.</param>
public sealed record ReportFigure(string Label, string Value);
