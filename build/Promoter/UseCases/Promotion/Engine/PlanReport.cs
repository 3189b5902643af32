using System.Text.Json;
using Promoter.Inputs;
using Promoter.Oci;
using Promoter.Reporting;
using Promoter.Yaml;

namespace Promoter.Promotion.Engine;

/// <summary>
/// A promotion plan as a review artifact: a JSON file listing every edge with its action, and a JUnit report with one
/// test case per edge, so a reviewer sees in Prow exactly what a merge will write before it is written.
/// <para>JSON shape (version 1): <c>{"version":1,"edges":[{"action":"COPY|TAG|MOVE|ALREADY|REFUSED|LOST",
/// "source":"host/prefix/image@sha256:…","destination":"host/prefix/image:tag" or "…@sha256:…","sourceRegistry","image",
/// "digest","destinationRegistry","tag" (null when tagless),"digestInDestination":bool,"reason":"tag move|overlap"
/// (refusals only),"currentDigest":"sha256:…" (tag moves and refusals only)}],"copies":N,"tags":N,"refused":N,"lost":N,
/// "manifestWrites":N,"manifestRequests":N,"egress":[{"registry","blobs","bytes","manifests","manifestBytes","mountedBlobs"}],
/// "quotaDomains":[{"name","requestsPerSecond","requestsPerMinute" (when limited),"requests","seconds"}]}</c>; <c>egress</c> is per
/// destination registry (<see cref="RegistryEgress"/>: blobs shared by images count once per registry), <c>quotaDomains</c>
/// the requests execution sends to each quota domain and the least time they take at its rate (<see cref="DomainBudget"/>);
/// <c>manifestWrites</c> counts the manifest and tag PUTs execution sends,
/// <c>manifestRequests</c> every request execution sends for them (<see cref="PromotionPlan.ManifestRequests"/>; children
/// of a manifest list and blob requests come on top). <see cref="ReadJson"/> reads it back for <c>--plan=FILE</c>.</para>
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
        EdgeDecision.RefusedTagMove or EdgeDecision.RefusedOverlap or EdgeDecision.Refused => "REFUSED",
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
            json.WriteNumber("version", 1);
            json.WriteStartArray("edges");
            foreach (var edge in plan.Edges)
            {
                json.WriteStartObject();
                json.WriteString("action", Action(edge.Decision));
                json.WriteString("source", edge.Edge.SourceReference().ToString());
                json.WriteString("destination", edge.Edge.DestinationReference().ToString());
                json.WriteString("sourceRegistry", edge.Edge.SourceRegistry);
                json.WriteString("image", edge.Edge.SourceImage);
                json.WriteString("digest", edge.Edge.Digest);
                json.WriteString("destinationRegistry", edge.Edge.DestinationRegistry);
                if (edge.Edge.DestinationImage != edge.Edge.SourceImage) json.WriteString("destinationImage", edge.Edge.DestinationImage);
                json.WriteString("tag", edge.Edge.Tag);
                json.WriteBoolean("digestInDestination", edge.DigestInDestination);
                if (edge.Decision == EdgeDecision.RefusedTagMove) json.WriteString("reason", "tag move");
                if (edge.Decision == EdgeDecision.RefusedOverlap) json.WriteString("reason", "overlap");
                if (edge.Decision == EdgeDecision.Refused) json.WriteString("reason", edge.Reason ?? "refused");
                if (edge.RefusesDigest) json.WriteBoolean("refusesDigest", true);
                if (edge.Subject is { } subject) json.WriteString("subject", subject.Value);
                if (edge.CurrentDigest is { } current) json.WriteString("currentDigest", current.Value);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("copies", plan.Copies.Count);
            json.WriteNumber("tags", plan.Tags.Count);
            json.WriteNumber("refused", plan.Refusals.Count);
            json.WriteNumber("lost", plan.Lost.Count);
            json.WriteNumber("manifestWrites", plan.Copies.Count + plan.Tags.Count);
            json.WriteNumber("manifestRequests", plan.ManifestRequests);
            json.WriteStartArray("egress");
            foreach (var egress in plan.Egress)
            {
                json.WriteStartObject();
                json.WriteString("registry", egress.Registry);
                json.WriteNumber("blobs", egress.Blobs);
                json.WriteNumber("bytes", egress.Bytes);
                json.WriteNumber("manifests", egress.Manifests);
                json.WriteNumber("manifestBytes", egress.ManifestBytes);
                json.WriteNumber("mountedBlobs", egress.MountedBlobs);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("quotaDomains");
            foreach (var budget in plan.DomainBudgets)
            {
                json.WriteStartObject();
                json.WriteString("name", budget.Limit.Domain.Name);
                if (budget.Limit.PerSecond is { } perSecond) json.WriteNumber("requestsPerSecond", perSecond);
                if (budget.Limit.PerMinute is { } perMinute) json.WriteNumber("requestsPerMinute", perMinute);
                json.WriteNumber("requests", budget.Requests);
                json.WriteNumber("seconds", Math.Round(budget.Time.TotalSeconds, 1));
                json.WriteEndObject();
            }
            json.WriteEndArray();
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
            Failure: edge.IsRefused(lostIsRefused: false) ? edge.ToString() : null,
            Skipped: edge.Decision == EdgeDecision.Lost ? edge.ToString() : null,
            Output: edge.ToString())).ToList());

    /// <summary>
    /// Reads a plan written by <see cref="WriteJson"/> back: every edge with the decision, the destination digest presence
    /// and the tag's digest the plan saw, so <c>--plan=FILE --confirm</c> can execute exactly it after checking for drift.
    /// </summary>
    /// <exception cref="InputFormatException">Not a version 1 plan, or an edge field missing or malformed (file, edge index and
    /// field named).</exception>
    /// <exception cref="InputFileException">The file is missing, not a regular file, too large or unreadable.</exception>
    public static PromotionPlan ReadJson(string path)
    {
        var text = InputFile.ReadAllText(path);
        JsonDocument document;
        try { document = JsonDocument.Parse(text); }
        catch (JsonException e) { throw Error(path, (int)(e.LineNumber ?? 0) + 1, "(document)", $"not JSON: {e.Message}"); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version)
                || version.ValueKind != JsonValueKind.Number || version.GetInt32() != 1)
                throw Error(path, 1, "version", "expected a plan written by --plan-out (\"version\": 1)");
            if (!root.TryGetProperty("edges", out var edges) || edges.ValueKind != JsonValueKind.Array)
                throw Error(path, 1, "edges", "expected an array of edges");
            var planned = new List<PlannedEdge>();
            var index = 0;
            foreach (var item in edges.EnumerateArray())
            {
                var at = $"edges[{index++}]";
                string Text(string field) =>
                    item.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
                        ? s : throw Error(path, 1, $"{at}.{field}", "expected a non-empty string");
                var action = Text("action");
                var reason = item.TryGetProperty("reason", out var r) ? r.GetString() : null;
                var decision = action switch
                {
                    "COPY" => EdgeDecision.Copy,
                    "TAG" => EdgeDecision.AddTag,
                    "MOVE" => EdgeDecision.MoveTag,
                    "ALREADY" => EdgeDecision.AlreadyPromoted,
                    "LOST" => EdgeDecision.Lost,
                    "REFUSED" when reason == "overlap" => EdgeDecision.RefusedOverlap,
                    "REFUSED" when reason is null or "tag move" => EdgeDecision.RefusedTagMove,
                    "REFUSED" => EdgeDecision.Refused,
                    _ => throw Error(path, 1, $"{at}.action", $"expected COPY, TAG, MOVE, ALREADY, REFUSED or LOST, got '{action}'"),
                };
                var tag = item.TryGetProperty("tag", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                var destinationImage = item.TryGetProperty("destinationImage", out var di) ? di.GetString() ?? Text("image") : Text("image");
                var edge = new PromotionEdge(Text("sourceRegistry"), Text("image"), Text("digest"), Text("destinationRegistry"), destinationImage, tag);
                Digest? current = null, subject = null;
                try
                {
                    edge.SourceReference();
                    edge.DestinationReference();
                    if (item.TryGetProperty("currentDigest", out var c) && c.ValueKind == JsonValueKind.String) current = Digest.Parse(c.GetString()!);
                    if (item.TryGetProperty("subject", out var sj) && sj.ValueKind == JsonValueKind.String) subject = Digest.Parse(sj.GetString()!);
                }
                catch (FormatException e)
                {
                    throw Error(path, 1, at, e.Message);
                }
                var present = item.TryGetProperty("digestInDestination", out var p) && p.ValueKind == JsonValueKind.True;
                var refusesDigest = item.TryGetProperty("refusesDigest", out var rd) && rd.ValueKind == JsonValueKind.True;
                planned.Add(new PlannedEdge(edge, decision, present, current, decision == EdgeDecision.Refused ? reason : null)
                {
                    Subject = subject,
                    RefusesDigest = refusesDigest,
                });
            }
            return new PromotionPlan(planned);
        }
    }

    private static InputFormatException Error(string path, int line, string field, string message) =>
        new(new ManifestError(new SourceLocation(path, line, field), message));
}
