using Promoter.Inputs;
using Promoter.Promotion;
using Promoter.Yaml;
using Promoter.Registry;

namespace Promoter.E2E;

/// <summary>
/// Reads e2e test files (<c>test-e2e/cip/tests.yaml</c>, <c>manifests/README.md</c> §4): a YAML list of
/// <c>{name, registries, invocation, snapshots}</c>. Anchors and aliases are resolved; keys are checked strictly;
/// <c>before</c>/<c>after</c> are snapshots (lists of <c>{name, dmap}</c>) with digests and tags checked.
/// </summary>
public static class E2ETestFile
{
    /// <summary>
    /// This project's one extension of the upstream format: <c>expect-error: "text"</c> on a test says the promotion must
    /// fail with a message containing the text (a refused tag move, say); the <c>after</c> snapshots are still checked.
    /// </summary>
    public const string ExpectErrorKey = "expect-error";

    /// <summary>Extension key: the signature fixture whose signatures are attached to the seeded source (<see cref="E2ETest.Attach"/>).</summary>
    public const string AttachKey = "attach";

    /// <summary>Extension key: the public key every destination signature must verify with (<see cref="E2ETest.VerifySignatures"/>).</summary>
    public const string VerifySignaturesKey = "verify-signatures";

    /// <summary>Reads the test file at <paramref name="path"/>; errors name the path as given.</summary>
    /// <exception cref="InputFormatException">See <see cref="Parse"/>.</exception>
    /// <exception cref="InputFileException">The file is missing, not a regular file, over <see cref="InputFile.MaxTextBytes"/>, or unreadable.</exception>
    public static IReadOnlyList<E2ETest> Load(string path) => Parse(InputFile.ReadAllText(path), path);

    /// <summary>Parses an e2e test file.</summary>
    /// <param name="yaml">The file text.</param>
    /// <param name="file">The name to put in errors.</param>
    /// <exception cref="InputFormatException">Invalid YAML, an unknown alias, unknown or duplicate keys, a test or
    /// snapshot without a name, an invalid snapshot entry, a file with no test (a run that tests nothing must not pass), or a
    /// snapshot of a registry that no test of the file lists (the tests purge only what they list, so such a snapshot
    /// would check leftovers); every error names file, line and field.</exception>
    public static IReadOnlyList<E2ETest> Parse(string yaml, string file)
    {
        var root = YamlTree.Parse(yaml, file);
        var d = new YamlDecoder(file);
        var tests = new List<E2ETest>();
        var items = d.Sequence(root, "");
        if (items.Count == 0 && d.Errors.Count == 0)
            d.Error(new SourceLocation(file, root?.Line ?? 0, ""), "holds no test (expected a list of tests; a run that tests nothing must not pass)");
        foreach (var (path, map, name, _) in d.NamedMappings(items, "", "a test mapping with keys name, registries, invocation, snapshots",
                     "the test name", "name", "registries", "invocation", "snapshots", ExpectErrorKey, AttachKey, VerifySignaturesKey))
        {
            var registries = ManifestReader.DecodeRegistries(d, map.Get("registries"), YamlDecoder.Child(path, "registries"));
            var invocation = new List<string>();
            var invocationPath = YamlDecoder.Child(path, "invocation");
            var args = d.Sequence(map.Get("invocation"), invocationPath);
            for (var a = 0; a < args.Count; a++)
            {
                var argPath = YamlDecoder.Index(invocationPath, a);
                var arg = d.String(args[a], argPath);
                if (arg is null)
                {
                    if (args[a] is YScalar)
                        d.Error(args[a], argPath, "expected a command-line argument, found null");
                    continue;
                }
                invocation.Add(arg);
            }
            var snapshots = DecodeSnapshots(d, map.Get("snapshots"), YamlDecoder.Child(path, "snapshots"));
            var expectError = map.Get(ExpectErrorKey) is { } expected ? d.String(expected, YamlDecoder.Child(path, ExpectErrorKey)) : null;
            var attach = map.Get(AttachKey) is { } a1 ? d.String(a1, YamlDecoder.Child(path, AttachKey)) : null;
            var verify = map.Get(VerifySignaturesKey) is { } v1 ? d.String(v1, YamlDecoder.Child(path, VerifySignaturesKey)) : null;
            tests.Add(new E2ETest(name, registries, invocation, snapshots)
            {
                Location = d.At(map, path), ExpectError = expectError, Attach = attach, VerifySignatures = verify,
            });
        }
        CheckSnapshotsAreListed(d, tests);
        d.ThrowIfAny();
        return tests;
    }

    /// <summary>Every snapshot must name a registry some test of the file lists, or a path inside one (same host identity).</summary>
    private static void CheckSnapshotsAreListed(YamlDecoder d, List<E2ETest> tests)
    {
        var listed = tests.SelectMany(t => t.Registries)
            .Select(r => RegistryPath.TryParse(r.Name, out var path, out _) ? path : null)
            .OfType<RegistryPath>()
            .ToList();
        foreach (var snapshot in tests.SelectMany(t => t.Snapshots))
        {
            if (snapshot.Location is not { } at || !RegistryPath.TryParse(snapshot.Name, out var name, out _)) continue;
            if (listed.Any(registry => registry.Contains(name))) continue;
            var names = string.Join(", ", listed.Select(r => r.ToString()).Distinct());
            d.Error(at, $"'{snapshot.Name}' is not in a registry any test of this file lists ({(names.Length > 0 ? names : "none")}); " +
                "a snapshot must be of a registry the tests purge, or it checks leftovers");
        }
    }

    private static List<E2ESnapshot> DecodeSnapshots(YamlDecoder d, YNode? node, string field)
    {
        var result = new List<E2ESnapshot>();
        foreach (var (path, map, name, namePath) in d.NamedMappings(d.Sequence(node, field), field,
                     "a snapshot mapping with keys name, before, after", "the registry path to snapshot", "name", "before", "after"))
        {
            if (name.Length > 0 && !RegistryPath.TryParse(name, out _, out var nameError))
                d.Error(map.Get("name") ?? map, namePath, nameError!);
            var before = ManifestReader.DecodeImages(d, map.Get("before"), YamlDecoder.Child(path, "before"));
            var after = ManifestReader.DecodeImages(d, map.Get("after"), YamlDecoder.Child(path, "after"));
            result.Add(new E2ESnapshot(name, new Snapshot(before), new Snapshot(after)) { Location = d.At(map.Get("name") ?? map, namePath) });
        }
        return result;
    }
}
