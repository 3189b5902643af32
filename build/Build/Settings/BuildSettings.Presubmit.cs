using Cake.Core;
using Promoter.Oci;
using static Build.Settings.SettingParsers;

namespace Build.Settings;

/// <summary>The snapshot formats of <c>--output</c> (kpromo's names).</summary>
public enum SnapshotFormat
{
    /// <summary>kpromo's YAML: images, each with digest to tags.</summary>
    Yaml,

    /// <summary>kpromo's CSV: one line per tag, <c>image@digest,image:tag</c>, or <c>image@digest,-</c> for a tagless digest.</summary>
    Csv,
}

// The presubmit-grade promotion settings and kpromo's snapshot and diff flags (issue 10), declared beside the others.
public sealed partial class BuildSettings
{
    /// <summary>
    /// The settings of this file. A nested class, so that they are initialised before <see cref="All"/> reads them (static
    /// fields of one type spread over partial files initialise in no documented order).
    /// </summary>
    public static class PresubmitFlags
    {
        /// <summary><c>--isolate-edges</c>: promote every clean edge, refuse the others, fail at the end.</summary>
        public static readonly Setting<bool> IsolateEdges = Flag("isolate-edges",
            "Promote: promote every clean edge and report each refused one (tag move, overlapping edge, lost source under --require-source), then fail; otherwise all or nothing",
            "Promote");

        /// <summary><c>--require-source</c>: a digest missing from the source refuses its edge instead of being skipped.</summary>
        public static readonly Setting<bool> RequireSource = Flag("require-source",
            "Promote: an edge whose digest the source lacks is refused (fails the run, also a dry run) instead of skipped with a warning", "Promote");

        /// <summary><c>--plan</c>: execute exactly this plan (written by <c>--plan-out</c>).</summary>
        public static readonly Setting<string?> Plan = new("plan", "FILE", null, "",
            "Promote: execute exactly this plan (written by --plan-out; with --confirm), refusing before any write if the registries drifted from it",
            "Promote", Text);

        /// <summary><c>--parse-only</c>: validate the manifests with no network at all.</summary>
        public static readonly Setting<bool> ParseOnly = Flag("parse-only", "Promote: only read and check the manifests (no registry is contacted)", "Promote");

        /// <summary><c>--output</c>: the snapshot format.</summary>
        public static readonly Setting<SnapshotFormat> Output = new("output", "yaml|csv", SnapshotFormat.Yaml, "yaml",
            "Promote: format of --snapshot and --manifest-based-snapshot-of", "Promote",
            Choice(("yaml", SnapshotFormat.Yaml), ("csv", SnapshotFormat.Csv)));

        /// <summary><c>--snapshot-tag</c>: only images carrying this tag in a snapshot.</summary>
        public static readonly Setting<string?> SnapshotTag = new("snapshot-tag", "TAG", null, "",
            "Promote: --snapshot lists only the digests carrying this tag", "Promote", TagName);

        /// <summary><c>--minimal-snapshot</c>: leave out tagless children of manifest lists.</summary>
        public static readonly Setting<bool> MinimalSnapshot = Flag("minimal-snapshot",
            "Promote: a snapshot leaves out tagless digests that a manifest list of the same image refers to", "Promote");

        /// <summary><c>--manifest-based-snapshot-of</c>: a registry's snapshot after promoting the manifests, from the manifests alone.</summary>
        public static readonly Setting<string?> ManifestBasedSnapshotOf = new("manifest-based-snapshot-of", "HOST[:PORT][/PREFIX]", null, "",
            "Promote: print what this destination holds after promoting --manifest/--thin-manifest-dir into it empty, read from the manifests only",
            "Promote", RegistryName);

        /// <summary><c>--use-prow-manifest-diff</c>: promote only the manifest entries changed in the Prow job's range.</summary>
        public static readonly Setting<bool> UseProwManifestDiff = Flag("use-prow-manifest-diff",
            "Promote: promote only the manifest entries (image, digest, tag) changed in the job's commit range (presubmit PULL_BASE_SHA..HEAD, postsubmit HEAD^..HEAD)",
            "Promote");

        /// <summary><c>--manifest-diff-since</c>: promote only the manifest entries changed since a revision.</summary>
        public static readonly Setting<string?> ManifestDiffSince = new("manifest-diff-since", "REV", null, "",
            "Promote: promote only the manifest entries changed between REV (a git revision, or a duration such as \"7 days\") and HEAD",
            "Promote", Text);

        /// <summary><c>--use-service-account</c>: honour each registry's <c>service-account:</c> by gcloud impersonation.</summary>
        public static readonly Setting<bool> UseServiceAccount = Flag("use-service-account",
            "Promote: a Google registry's service-account: from the manifest is used through gcloud --impersonate-service-account", "Promote");

        /// <summary><c>--verify-destination</c>: also check what is already promoted (after a registry crash; periodic audits).</summary>
        public static readonly Setting<bool> VerifyDestination = Flag("verify-destination",
            "Promote: also check every manifest and blob already promoted in the destinations (GET by digest, a HEAD per blob) and write again what is not served; for a run after a registry crash and for periodic audits",
            "Promote");

        /// <summary>Every setting of this class, in the order help lists them.</summary>
        public static IReadOnlyList<SettingDeclaration> All { get; } =
            [IsolateEdges, RequireSource, Plan, ParseOnly, Output, SnapshotTag, MinimalSnapshot, ManifestBasedSnapshotOf, UseProwManifestDiff,
             ManifestDiffSince, UseServiceAccount, VerifyDestination];
    }

    /// <summary>Promote's presubmit-grade and kpromo flags; checked as a whole.</summary>
    /// <exception cref="CakeException">Flags that cannot go together (<see cref="Conflicts"/>; named with their sources).</exception>
    public PresubmitSettings Presubmit
    {
        get
        {
            var settings = new PresubmitSettings(_reader.Get(PresubmitFlags.IsolateEdges), _reader.Get(PresubmitFlags.RequireSource),
                _reader.Get(PresubmitFlags.Plan) is { } plan ? FullPath(plan) : null, _reader.Get(PresubmitFlags.ParseOnly), _reader.Get(PresubmitFlags.Output), _reader.Get(PresubmitFlags.SnapshotTag),
                _reader.Get(PresubmitFlags.MinimalSnapshot), _reader.Get(PresubmitFlags.ManifestBasedSnapshotOf), _reader.Get(PresubmitFlags.UseProwManifestDiff), _reader.Get(PresubmitFlags.ManifestDiffSince),
                _reader.Get(PresubmitFlags.UseServiceAccount), _reader.Get(PresubmitFlags.VerifyDestination));
            // Flags that cannot go together are declared in Conflicts and refused by the reader as they are read.
            return settings;
        }
    }

    /// <summary>A tag (<see cref="ImageReference.IsValidTag"/>).</summary>
    private static string? TagName(string text) =>
        ImageReference.IsValidTag(text) ? text : throw new FormatException($"expected a tag ([A-Za-z0-9_][A-Za-z0-9._-]{{0,127}}), got '{text}'.");
}

/// <summary>Promote's presubmit-grade and kpromo flags.</summary>
/// <param name="IsolateEdges">Promote every clean edge; refuse (and fail on) the others.</param>
/// <param name="RequireSource">A lost source digest refuses its edge.</param>
/// <param name="Plan">A plan file to execute exactly (absolute), or null.</param>
/// <param name="ParseOnly">Only read and check the manifests.</param>
/// <param name="Output">The snapshot format.</param>
/// <param name="SnapshotTag">Only digests carrying this tag in a snapshot, or null.</param>
/// <param name="MinimalSnapshot">Leave out tagless children of manifest lists in a snapshot.</param>
/// <param name="ManifestBasedSnapshotOf">Print this registry's snapshot from the manifests alone, or null.</param>
/// <param name="UseProwManifestDiff">Only the manifest entries changed in the CI job's range.</param>
/// <param name="ManifestDiffSince">Only the manifest entries changed since this revision (or duration), or null.</param>
/// <param name="UseServiceAccount">Impersonate each Google registry's service account.</param>
/// <param name="VerifyDestination">Also check what is already promoted in the destinations (<c>PromotionPolicy.VerifyDestination</c>).</param>
public sealed record PresubmitSettings(bool IsolateEdges, bool RequireSource, string? Plan, bool ParseOnly, SnapshotFormat Output,
    string? SnapshotTag, bool MinimalSnapshot, string? ManifestBasedSnapshotOf, bool UseProwManifestDiff, string? ManifestDiffSince,
    bool UseServiceAccount, bool VerifyDestination = false);
