using Cake.Core;
using Promoter.Oci;
using static Build.Settings.SettingParsers;

namespace Build.Settings;

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

    /// <summary>
    /// The settings the Promote command model reads (<see cref="PromoteCommand"/>), in help order: what an e2e
    /// <c>invocation:</c> may give, and what the Prow and Kubernetes jobs build their commands from (Kubernetes/PipelineJobs).
    /// </summary>
    public static IReadOnlyList<SettingDeclaration> PromoteDeclarations { get; } =
    [
        Manifest, ThinManifestDir, Threads, Confirm, DryRun, AllowTagMoves, PlanOut, Snapshot, CopyAttachments, Sign, SigningKey,
        SigningKeyPassphraseFile, SigningKeyPassphraseEnv, RequireSignature, Shard, Shards, .. PresubmitFlags.All, .. ReportFlags.All, .. OfflineFlags.All, .. ProvenanceFlags.All,
    ];

    /// <summary>The Promote command: its mode and parts, from the declared settings; checked as a whole.</summary>
    /// <param name="mode">The mode the task forces (SignatureCheck, Backfill), or null for the one the settings ask for.</param>
    /// <exception cref="CakeException">Settings that contradict each other (<see cref="Conflicts"/>; named with their sources), a
    /// bad value, or no manifest, thin-manifest directory, plan or snapshot where the mode needs one.</exception>
    public PromoteCommand Promote(PromoteMode? mode = null)
    {
        var snapshot = _reader.Get(Snapshot);
        var manifest = _reader.Get(Manifest) is { } m ? FullPath(m) : null;
        var thin = _reader.Get(ThinManifestDir) is { } t ? FullPath(t) : null;
        var plan = _reader.Get(PresubmitFlags.Plan) is { } p ? FullPath(p) : null;
        var manifestSnapshot = _reader.Get(PresubmitFlags.ManifestBasedSnapshotOf);
        var againstSnapshots = AgainstSnapshots();
        var chosen = mode ?? Build.Settings.PromoteCommand.ModeOf(_reader.Get(PresubmitFlags.ParseOnly), snapshot is not null, manifestSnapshot is not null, plan is not null,
            againstSnapshots.Count > 0);
        if (chosen == PromoteMode.AgainstSnapshot && (_reader.Get(Confirm) || _reader.Get(DryRun) == false))
        {
            var write = _reader.Get(Confirm) ? (Setting: (SettingDeclaration)Confirm, Shown: "--confirm") : (DryRun, "--dry-run=false");
            throw new CakeException($"Contradictory settings: --{OfflineFlags.AgainstSnapshot.Name} ({_reader.Source(OfflineFlags.AgainstSnapshot)}) and " +
                $"{write.Shown} ({_reader.Source(write.Setting)}): --against-snapshot checks the manifests with no network; nothing would be promoted. Give only one of them.");
        }
        // Two sources of edges given at once are declared conflicts (Conflicts), refused by the reader above.
        if (chosen != PromoteMode.Snapshot && plan is null && manifest is null && thin is null)
            throw new CakeException(chosen is PromoteMode.SignatureCheck or PromoteMode.Backfill
                ? $"{chosen} needs exactly one of --{Manifest.Name}=FILE and --{ThinManifestDir.Name}=DIR."
                : $"Promote needs exactly one of --{Manifest.Name}=FILE and --{ThinManifestDir.Name}=DIR (or --{Snapshot.Name}=REGISTRY).");
        if (chosen is (PromoteMode.SignatureCheck or PromoteMode.Backfill) && (snapshot ?? plan) is not null)
            throw new CakeException($"{chosen} reads --{Manifest.Name} or --{ThinManifestDir.Name}, not --{(snapshot is not null ? Snapshot.Name : PresubmitFlags.Plan.Name)}.");
        var snapshotTag = _reader.Get(PresubmitFlags.SnapshotTag);
        var minimal = _reader.Get(PresubmitFlags.MinimalSnapshot);
        if (chosen != PromoteMode.Snapshot && (snapshotTag is not null || minimal))
            throw new CakeException($"--{PresubmitFlags.SnapshotTag.Name} and --{PresubmitFlags.MinimalSnapshot.Name} apply to --{Snapshot.Name}=REGISTRY only.");
        return new PromoteCommand(
            chosen,
            new PromoteInputs(manifest, thin, plan) { AgainstSnapshots = againstSnapshots },
            new PromoteRun(_reader.Get(Confirm) || _reader.Get(DryRun) == false, _reader.Get(AllowTagMoves), _reader.Get(Threads),
                _reader.Get(PresubmitFlags.IsolateEdges), _reader.Get(PresubmitFlags.RequireSource), _reader.Get(PresubmitFlags.VerifyDestination),
                _reader.Get(PresubmitFlags.UseServiceAccount)),
            new Promoter.Promotion.Engine.SigningArguments
            {
                CopyAttachments = _reader.Get(CopyAttachments),
                Sign = _reader.Get(Sign),
                SigningKey = _reader.Get(SigningKey) is { } key ? FullPath(key) : null,
                PassphraseFile = _reader.Get(SigningKeyPassphraseFile) is { } file ? FullPath(file) : null,
                PassphraseVariable = _reader.Get(SigningKeyPassphraseEnv),
                RequireSignature = _reader.Get(RequireSignature) is { } pub ? FullPath(pub) : null,
                RequireProvenance = _reader.Get(ProvenanceFlags.RequireProvenance) is { } provenanceKey ? FullPath(provenanceKey) : null,
                Provenance = _reader.IsGiven(ProvenanceFlags.Provenance) ? _reader.Get(ProvenanceFlags.Provenance) : null,
                ProvenanceBuilderId = _reader.Get(ProvenanceFlags.ProvenanceBuilderId),
                ProvenanceSourceRepository = _reader.Get(ProvenanceFlags.ProvenanceSourceRepo),
            },
            new PromoteSelection(new ShardSettings(_reader.Get(Shard), _reader.Get(Shards)), _reader.Get(PresubmitFlags.UseProwManifestDiff),
                _reader.Get(PresubmitFlags.ManifestDiffSince)),
            new PromoteOutputs(_reader.Get(PlanOut) is { } planOut ? FullPath(planOut) : null, _reader.Get(PresubmitFlags.Output), snapshot,
                snapshotTag, minimal, manifestSnapshot) { Report = ReportFile });
    }

    /// <summary>A tag (<see cref="ImageReference.IsValidTag"/>).</summary>
    private static string? TagName(string text) =>
        ImageReference.IsValidTag(text) ? text : throw new FormatException($"expected a tag ([A-Za-z0-9_][A-Za-z0-9._-]{{0,127}}), got '{text}'.");
}
