using System.Text.Json;
using Promoter.Reporting;

namespace Promoter.Promotion.Engine;

/// <summary>
/// A promotion plan as a review artifact: a JSON file listing every edge with its action, and a JUnit report with one
/// test case per edge, so a reviewer sees in Prow exactly what a merge will write before it is written.
/// <para>JSON shape: <c>{"edges":[{"action":"COPY|TAG|MOVE|ALREADY|REFUSED|LOST","source":"host/prefix/image@sha256:…",
/// "destination":"host/prefix/image:tag" or "…@sha256:…","currentDigest":"sha256:…" (tag moves and refusals only)}],
/// "copies":N,"tags":N,"refused":N,"lost":N,"manifestWrites":N}</c>; <c>manifestWrites</c> counts the manifest and tag
/// PUTs execution sends (children of a manifest list add theirs; blob requests depend on what each destination holds).</para>
/// </summary>
public static class PlanReport
{
    /// <summary>The action word of a decision, as the plan listing and the JSON write it.</summary>
    public static string Action(EdgeDecision decision) => decision switch
    {
        EdgeDecision.Copy => "COPY",
        EdgeDecision.AddTag => "TAG",
        EdgeDecision.MoveTag => "MOVE",
        EdgeDecision.AlreadyPromoted => "ALREADY",
        EdgeDecision.RefusedTagMove => "REFUSED",
        EdgeDecision.Lost => "LOST",
        _ => decision.ToString().ToUpperInvariant(),
    };

    /// <summary>Writes <paramref name="plan"/> as JSON to <paramref name="path"/> (folder created; written whole through a temporary file).</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void WriteJson(PromotionPlan plan, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        using (var stream = File.Create(temporary))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("edges");
            foreach (var edge in plan.Edges)
            {
                json.WriteStartObject();
                json.WriteString("action", Action(edge.Decision));
                json.WriteString("source", edge.Edge.SourceReference().ToString());
                json.WriteString("destination", edge.Edge.DestinationReference().ToString());
                if (edge.CurrentDigest is { } current) json.WriteString("currentDigest", current.Value);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("copies", plan.Copies.Count);
            json.WriteNumber("tags", plan.Tags.Count);
            json.WriteNumber("refused", plan.Refusals.Count);
            json.WriteNumber("lost", plan.Lost.Count);
            json.WriteNumber("manifestWrites", plan.Copies.Count + plan.Tags.Count);
            json.WriteEndObject();
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Writes <paramref name="plan"/> as JUnit XML, one case per edge named by its destination: a refused tag move fails,
    /// a lost edge is skipped (with the reason), every other edge passes with its action as output.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void WriteJUnit(PromotionPlan plan, string path, string suiteName) =>
        JUnitXml.Write(path, suiteName, plan.Edges.Select(edge => new JUnitCase(
            suiteName,
            $"{Action(edge.Decision)} {edge.Edge.DestinationReference()}",
            TimeSpan.Zero,
            Failure: edge.Decision is EdgeDecision.RefusedTagMove or EdgeDecision.Refused ? edge.ToString() : null,
            Skipped: edge.Decision == EdgeDecision.Lost ? edge.ToString() : null,
            Output: edge.ToString())).ToList());
}
