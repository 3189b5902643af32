using System.Text.RegularExpressions;
using Build.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Build.Tests.Architecture;

/// <summary>
/// The layers as a table of allowed arrows between namespaces, checked against the code: every reference from one
/// namespace of the library (<c>Promoter.X</c>) or of the build program (<c>Build.X</c>) to another - a using line (an
/// unused using is a build error, so each is a true arrow) or a qualified name in code - must be an arrow of the table.
/// Arrows point down only: use cases over mechanisms in the library; tasks over flows, jobs and settings over tools in
/// the build program; the host (the Frosting stand-in) imports nothing of the project.
/// </summary>
public sealed partial class NamespaceDependencyTests
{
    private static readonly string Root = BuildProgram.RepositoryRoot;

    /// <summary>The library: each namespace and the namespaces it may use. Mechanisms first (build/Promoter/Mechanisms/),
    /// then the use cases (build/Promoter/UseCases/); <see cref="Every_library_namespace_lives_in_its_layers_folder"/>
    /// keeps the folders and the table together.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Library = new Dictionary<string, string[]>
    {
        // The family of exceptions every other namespace throws.
        ["(root)"] = [],
        // Mechanisms: they take an image and a reference, never a use case.
        ["Oci"] = [],
        ["Inputs"] = [],
        ["Yaml"] = ["Inputs"],
        ["Reporting"] = [],
        ["Registry"] = ["Oci", "Inputs", "Yaml"],
        ["Archives"] = ["Oci", "Inputs"],
        ["Images"] = ["Oci", "Inputs", "Registry", "Archives"],
        ["Attachments"] = ["Oci", "Inputs", "Registry"],
        // Use cases: over the mechanisms; later use cases over the promotion.
        ["Promotion"] = ["Oci", "Inputs", "Yaml", "Reporting", "Registry", "Attachments"],
        ["Golden"] = ["Oci", "Inputs", "Yaml", "Registry", "Archives", "Images"],
        ["E2E"] = ["Oci", "Inputs", "Yaml", "Reporting", "Registry", "Attachments", "Promotion"],
        ["Releases"] = ["Oci", "Inputs", "Yaml", "Registry", "Archives", "Images", "Attachments", "Promotion"],
        ["Backfill"] = ["Oci", "Inputs", "Registry", "Attachments", "Promotion"],
        ["PullRequests"] = ["Oci", "Inputs", "Yaml", "Registry", "Promotion"],
    };

    /// <summary>The build program: each namespace (<c>(root)</c> is <c>Build</c> itself: the composition root) and the
    /// namespaces of the program it may use. Any of them may use the library and the addin.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Program = new Dictionary<string, string[]>
    {
        ["Host"] = [],
        ["Tools"] = [],
        ["Engines"] = ["Tools"],
        ["Settings"] = [],
        ["Flows"] = ["Settings", "Tools", "Engines", "Kubernetes"],
        ["Kubernetes"] = ["Settings"],
        ["Tasks"] = ["(root)", "Host", "Settings", "Flows", "Tools", "Engines"],
        ["(root)"] = ["Host", "Settings", "Flows", "Engines", "Tools"],
    };

    [Fact]
    public void Every_arrow_between_the_librarys_namespaces_is_in_the_table() =>
        Violations(Path.Combine(Root, "build", "Promoter"), "Promoter", Library).Should().BeEmpty();

    [Fact]
    public void Every_arrow_between_the_build_programs_namespaces_is_in_the_table() =>
        Violations(Path.Combine(Root, "build", "Build"), "Build", Program).Should().BeEmpty();

    [Fact]
    public void Every_library_namespace_lives_in_its_layers_folder()
    {
        static IEnumerable<string> Folders(string layer) =>
            Directory.EnumerateDirectories(Path.Combine(Root, "build", "Promoter", layer)).Select(Path.GetFileName)!;
        var mechanisms = new[] { "Oci", "Inputs", "Yaml", "Reporting", "Registry", "Archives", "Images", "Attachments" };
        Folders("Mechanisms").Should().BeEquivalentTo(mechanisms);
        Folders("UseCases").Should().BeEquivalentTo(Library.Keys.Except(mechanisms).Except(["(root)"]));
        var useCases = Folders("UseCases").ToList();
        foreach (var useCase in useCases)
            Library[useCase].Where(other => useCases.Contains(other) && Library[other].Contains(useCase))
                .Should().BeEmpty($"use cases do not use each other both ways ({useCase})");
    }

    [Fact]
    public void The_tables_have_no_cycle()
    {
        foreach (var table in new[] { Library, Program })
            foreach (var start in table.Keys)
                Reachable(table, start).Should().NotContain(start, $"{start} must not reach itself through the table's arrows");
    }

    private static HashSet<string> Reachable(IReadOnlyDictionary<string, string[]> table, string start)
    {
        var seen = new HashSet<string>();
        var next = new Stack<string>(table[start]);
        while (next.Count > 0)
        {
            var node = next.Pop();
            if (!seen.Add(node) || !table.TryGetValue(node, out var arrows)) continue;
            foreach (var arrow in arrows) next.Push(arrow);
        }
        return seen;
    }

    /// <summary>Each reference of a file's namespace to another namespace of <paramref name="prefix"/> not in the table,
    /// as <c>file:line: From -> To</c>; a namespace missing from the table is a violation of its own.</summary>
    private static IEnumerable<string> Violations(string folder, string prefix, IReadOnlyDictionary<string, string[]> table)
    {
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")))
        {
            var lines = File.ReadAllLines(file);
            var declared = lines.Select(l => Regex.Match(l, $@"^namespace {prefix}(?:\.(\w+))?")).FirstOrDefault(m => m.Success);
            if (declared is null) continue;
            var from = declared.Groups[1].Success ? declared.Groups[1].Value : "(root)";
            var relative = Path.GetRelativePath(Root, file);
            if (!table.TryGetValue(from, out var allowed))
            {
                found.Add($"{relative}: namespace {prefix}.{from} is not in the table");
                continue;
            }
            for (var i = 0; i < lines.Length; i++)
            {
                var code = Code(lines[i]);
                foreach (Match m in Regex.Matches(code, $@"\b{prefix}\.([A-Z]\w*)"))
                {
                    var to = m.Groups[1].Value;
                    if (to == from || (!table.ContainsKey(to) && !IsNamespaceOf(prefix, to))) continue;
                    if (!allowed.Contains(to)) found.Add($"{relative}:{i + 1}: {from} -> {to}");
                }
                if (prefix == "Build" && from != "(root)" && RootTypes().IsMatch(code) && !allowed.Contains("(root)"))
                    found.Add($"{relative}:{i + 1}: {from} -> (root)");
            }
        }
        return found;
    }

    /// <summary>True when <c>prefix.name</c> is a namespace of the project (a folder under build/), not a type such as
    /// <c>Build.Tests</c> in a project name.</summary>
    private static bool IsNamespaceOf(string prefix, string name) =>
        Directory.EnumerateDirectories(Path.Combine(Root, "build", prefix), name, SearchOption.AllDirectories).Any();

    /// <summary>The line without its comment and string literals (a doc comment or a message may name anything).</summary>
    private static string Code(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith("//", StringComparison.Ordinal)) return "";
        return Strings().Replace(line, "\"\"");
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    /// <summary>The composition root's types, named by the layers below only if the table allows it.</summary>
    [GeneratedRegex(@"\b(BuildContext|BuildLifetime)\b")]
    private static partial Regex RootTypes();
}
