using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Promoter.Yaml;

/// <summary>A YAML node with the 1-based line it starts on. Scalars keep their text exactly as written.</summary>
internal abstract class YNode
{
    protected YNode(int line) => Line = line;

    public int Line { get; }

    public abstract string Kind { get; }
}

internal sealed class YScalar(int line, string value, ScalarStyle style) : YNode(line)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    /// <summary>A plain <c>null</c>, <c>~</c> or nothing at all (YAML 1.1/1.2 core null).</summary>
    public bool IsNull => Style == ScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Kind => IsNull ? "null" : "a scalar";
}

internal sealed class YSequence(int line, List<YNode> items) : YNode(line)
{
    public List<YNode> Items { get; } = items;

    public override string Kind => "a list";
}

internal sealed class YMapping(int line, List<KeyValuePair<YScalar, YNode>> entries) : YNode(line)
{
    public List<KeyValuePair<YScalar, YNode>> Entries { get; } = entries;

    public override string Kind => "a mapping";

    public YNode? Get(string key) => Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    public YScalar? KeyNode(string key) => Entries.FirstOrDefault(e => e.Key.Value == key).Key;
}

/// <summary>
/// Reads one YAML document into a <see cref="YNode"/> tree from YamlDotNet parser events, so that every node
/// keeps its line. Aliases resolve to the anchored node. Duplicate mapping keys and non-scalar keys are errors,
/// as in a strict decode.
/// </summary>
internal static class YamlTree
{
    /// <summary>Parses <paramref name="text"/>; returns null for an empty stream (no document).</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="file">The file name the errors carry.</param>
    /// <param name="namePaths">When true every error names a field, so that it reads <c>file:line: field: message</c>: a duplicate
    /// key names its own path (e.g. <c>images[0].name</c>), a non-scalar key the mapping's, an unknown alias the path it
    /// stands at (<c>(document)</c> for the root), and a syntax error or a second document <c>(yaml)</c>. When false the
    /// errors name no field (the CIP formats' messages).</param>
    /// <exception cref="InputFormatException">A syntax error, an unknown alias, a duplicate or non-scalar key, or more than one document.</exception>
    public static YNode? Parse(string text, string file, bool namePaths = false)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var yamlField = namePaths ? "(yaml)" : "";
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
                return null;
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, anchors, file, namePaths ? "" : null);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var next))
                throw new InputFormatException(new ManifestError(new SourceLocation(file, LineOf(next.Start), yamlField),
                    "expected a single YAML document, found a second one"));
            return root;
        }
        catch (YamlException e)
        {
            throw new InputFormatException(new ManifestError(new SourceLocation(file, LineOf(e.Start), yamlField),
                $"invalid YAML: {e.Message}"));
        }
    }

    // `path` is the field path of the node being read, or null when errors name no field.
    private static YNode ReadNode(IParser parser, Dictionary<string, YNode> anchors, string file, string? path)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw new InputFormatException(new ManifestError(new SourceLocation(file, LineOf(alias.Start), FieldOf(path)),
                    $"alias *{alias.Value.Value} refers to no anchor defined before it"));
        }

        YNode node;
        NodeEvent start;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            start = scalar;
            node = new YScalar(LineOf(scalar.Start), scalar.Value, scalar.Style);
        }
        else if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            start = seqStart;
            var items = new List<YNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
                items.Add(ReadNode(parser, anchors, file, path is null ? null : YamlDecoder.Index(path, items.Count)));
            node = new YSequence(LineOf(seqStart.Start), items);
        }
        else if (parser.TryConsume<MappingStart>(out var mapStart))
        {
            start = mapStart;
            var entries = new List<KeyValuePair<YScalar, YNode>>();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(parser, anchors, file, path);
                if (keyNode is not YScalar key)
                    throw new InputFormatException(new ManifestError(new SourceLocation(file, keyNode.Line, FieldOf(path)),
                        $"mapping keys must be scalars, found {keyNode.Kind}"));
                var keyPath = path is null ? null : YamlDecoder.Child(path, key.Value);
                if (seen.TryGetValue(key.Value, out var firstLine))
                    throw new InputFormatException(new ManifestError(new SourceLocation(file, key.Line, FieldOf(keyPath)),
                        $"mapping key \"{key.Value}\" already defined at line {firstLine.ToString(CultureInfo.InvariantCulture)}"));
                seen.Add(key.Value, key.Line);
                entries.Add(new(key, ReadNode(parser, anchors, file, keyPath)));
            }
            node = new YMapping(LineOf(mapStart.Start), entries);
        }
        else
        {
            var current = parser.Current;
            throw new InputFormatException(new ManifestError(
                new SourceLocation(file, current is null ? 1 : LineOf(current.Start), FieldOf(path)),
                $"unexpected YAML event {current?.GetType().Name ?? "(end of input)"}"));
        }

        if (!start.Anchor.IsEmpty)
            anchors[start.Anchor.Value] = node;
        return node;
    }

    // The field an error at `path` names: none when paths are not named, "(document)" for the root.
    private static string FieldOf(string? path) => path is null ? "" : path.Length == 0 ? "(document)" : path;

    private static int LineOf(Mark mark) => (int)Math.Max(1, mark.Line);
}
