using Cake.Core;
using static Build.Settings.SettingParsers;

namespace Build.Settings;

// The offline immutability presubmit (issue 27): Promote --against-snapshot, declared beside the others.
public sealed partial class BuildSettings
{
    /// <summary>
    /// The settings of the offline check. A nested class, so that they are initialised before <see cref="All"/> reads them
    /// (static fields of one type spread over partial files initialise in no documented order).
    /// </summary>
    public static class OfflineFlags
    {
        /// <summary><c>--against-snapshot=REGISTRY=FILE</c> (repeatable): check the manifests against committed snapshots, no network.</summary>
        public static readonly Setting<IReadOnlyList<string>> AgainstSnapshot = new("against-snapshot", "REGISTRY=FILE[,...]", [], "",
            "Promote: check the manifests against this committed snapshot of REGISTRY (kpromo's snapshot YAML or CSV, as --snapshot prints it; repeatable, one per registry) with no network: a tag move, an overlapping edge or a digest missing from the source's snapshot is refused naming the manifest's file:line, new edges are listed",
            "Promote, PromotionPR", text => List(text).Select(SnapshotArgument).ToList());

        /// <summary>Every setting of this class, in the order help lists them.</summary>
        public static IReadOnlyList<SettingDeclaration> All { get; } = [AgainstSnapshot];

        /// <summary>The contradictions of <c>--against-snapshot</c>: it chooses what Promote does. (With <c>--confirm</c> it
        /// contradicts Promote only - PromotionPR checks its edit against the snapshots and then writes - so that pair is
        /// refused by <see cref="Promote"/>, not by this table, which holds for every task.)</summary>
        internal static IEnumerable<SettingConflict> Conflicts()
        {
            var given = SettingCondition.Given(AgainstSnapshot);
            yield return new(given, SettingCondition.Given(Snapshot), "--snapshot prints a registry; the check would not run");
            yield return new(given, SettingCondition.Given(PresubmitFlags.ManifestBasedSnapshotOf), "--manifest-based-snapshot-of prints a snapshot; the check would not run");
            yield return new(given, SettingCondition.Given(PresubmitFlags.Plan), "--against-snapshot checks the manifests; the plan would be ignored");
            yield return new(given, SettingCondition.Is(PresubmitFlags.ParseOnly, true), "each is a check with no network; --against-snapshot includes --parse-only's");
        }
    }

    /// <summary>The <c>--against-snapshot</c> values as registry and absolute file, in the order given.</summary>
    /// <exception cref="CakeException">A value does not parse (named with its source).</exception>
    private IReadOnlyList<KeyValuePair<string, string>> AgainstSnapshots() =>
        _reader.GetAll(OfflineFlags.AgainstSnapshot).Select(value =>
        {
            var equals = value.IndexOf('=');
            return KeyValuePair.Create(value[..equals], FullPath(value[(equals + 1)..]));
        }).ToList();

    /// <summary><c>REGISTRY=FILE</c>: a registry name (<see cref="RegistryName"/>) and a file. The snapshot formats do not
    /// name their registry, so the value does.</summary>
    private static string SnapshotArgument(string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0 || equals == text.Length - 1)
            throw new FormatException($"expected REGISTRY=FILE (the registry the snapshot is of, then its file; a snapshot file does not name its registry), got '{text}'.");
        RegistryName(text[..equals]);
        return text;
    }
}
