using YamlDotNet.Core;

namespace Promoter.Yaml;

/// <summary>
/// Strict typed reading of a <see cref="YNode"/> tree: collects every problem with file, line and field
/// path instead of stopping at the first one.
/// </summary>
internal sealed class YamlDecoder(string file)
{
    private readonly List<ManifestError> _errors = [];

    public string File { get; } = file;

    public IReadOnlyList<ManifestError> Errors => _errors;

    public SourceLocation At(YNode? node, string field) => new(File, node?.Line ?? 1, field);

    public void Error(YNode? node, string field, string message) => _errors.Add(new ManifestError(At(node, field), message));

    public void Error(SourceLocation at, string message) => _errors.Add(new ManifestError(at, message));

    /// <exception cref="InputFormatException">Any problem was recorded.</exception>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
            throw new InputFormatException(_errors);
    }

    public static string Child(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    /// <summary>A mapping whose keys are all in <paramref name="allowed"/>; null (no error) for a missing or null node.</summary>
    public YMapping? Mapping(YNode? node, string field, params string[] allowed)
    {
        if (node is null || node is YScalar { IsNull: true })
            return null;
        if (node is not YMapping mapping)
        {
            Error(node, FieldOrDocument(field), $"expected a mapping with keys {string.Join(", ", allowed)}, found {node.Kind}");
            return null;
        }
        foreach (var (key, _) in mapping.Entries)
        {
            if (Array.IndexOf(allowed, key.Value) < 0)
                Error(key, Child(field, key.Value), $"unknown key (expected one of: {string.Join(", ", allowed)})");
        }
        return mapping;
    }

    /// <summary>
    /// As <see cref="Mapping"/>, but a null node (an empty list item, a key written without a value) is an error too,
    /// worded as for any other non-mapping; null without an error only for a missing node, whose key the caller requires
    /// in its own words.
    /// </summary>
    public YMapping? RequiredMapping(YNode? node, string field, params string[] allowed)
    {
        if (node is YScalar { IsNull: true })
        {
            Error(node, FieldOrDocument(field), $"expected a mapping with keys {string.Join(", ", allowed)}, found {node.Kind}");
            return null;
        }
        return Mapping(node, field, allowed);
    }

    /// <summary>The items of a list; an empty list for a missing or null node.</summary>
    public List<YNode> Sequence(YNode? node, string field)
    {
        if (node is null || node is YScalar { IsNull: true })
            return [];
        if (node is YSequence seq)
            return seq.Items;
        Error(node, FieldOrDocument(field), $"expected a list, found {node.Kind}");
        return [];
    }

    /// <summary>
    /// The entries of a list of named mappings (<c>- name: ...</c>), one at a time, so the caller's own errors about an
    /// entry come before the next entry's: an entry that is not a mapping is skipped (a null one with the error
    /// <c>expected {what}, found null</c>), and an entry whose <c>name</c> is missing or empty is kept with the name ""
    /// and the error <c>must not be empty (expected {nameExpected})</c>.
    /// </summary>
    /// <param name="items">The list's items (see <see cref="Sequence"/>).</param>
    /// <param name="field">The list's field path.</param>
    /// <param name="what">The expected entry, e.g. <c>a mapping with keys name, dmap</c>.</param>
    /// <param name="nameExpected">What the name should be, e.g. <c>an image name such as foo</c>.</param>
    /// <param name="allowed">The keys an entry may have.</param>
    public IEnumerable<NamedMapping> NamedMappings(List<YNode> items, string field, string what, string nameExpected, params string[] allowed)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var path = Index(field, i);
            var map = Mapping(items[i], path, allowed);
            if (map is null)
            {
                if (items[i] is YScalar { IsNull: true })
                    Error(items[i], path, $"expected {what}, found null");
                continue;
            }
            var namePath = Child(path, "name");
            var name = String(map.Get("name"), namePath) ?? "";
            if (name.Length == 0)
                Error(map.Get("name") ?? map, namePath, $"must not be empty (expected {nameExpected})");
            yield return new NamedMapping(path, map, name, namePath);
        }
    }

    /// <summary>The text of a scalar exactly as written; null for a missing or null node.</summary>
    public string? String(YNode? node, string field)
    {
        switch (node)
        {
            case null:
            case YScalar { IsNull: true }:
                return null;
            case YScalar scalar:
                return scalar.Value;
            default:
                Error(node, field, $"expected a string, found {node.Kind}");
                return null;
        }
    }

    /// <summary>A plain YAML boolean (true/false, and YAML 1.1's yes/no/on/off); <paramref name="missing"/> when absent.</summary>
    public bool Bool(YNode? node, string field, bool missing)
    {
        if (node is null || node is YScalar { IsNull: true })
            return missing;
        if (node is YScalar { Style: ScalarStyle.Plain } scalar)
        {
            switch (scalar.Value)
            {
                case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y":
                    return true;
                case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N":
                    return false;
            }
        }
        Error(node, field, $"expected true or false, found {Describe(node)}");
        return missing;
    }

    public static string Describe(YNode node) => node is YScalar s && !s.IsNull ? $"'{s.Value}'" : node.Kind;

    private static string FieldOrDocument(string field) => field.Length == 0 ? "(document)" : field;
}

/// <summary>One entry of a list of named mappings (<see cref="YamlDecoder.NamedMappings"/>).</summary>
/// <param name="Path">The entry's field path, e.g. <c>images[2]</c>.</param>
/// <param name="Map">The entry.</param>
/// <param name="Name">Its name; "" when missing or empty (already reported).</param>
/// <param name="NamePath">The name's field path, e.g. <c>images[2].name</c>.</param>
internal readonly record struct NamedMapping(string Path, YMapping Map, string Name, string NamePath);
