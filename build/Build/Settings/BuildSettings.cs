using Cake.Core;
using Promoter.Promotion.Engine;
using static Build.Settings.SettingParsers;
using Promoter.Registry;

namespace Build.Settings;

/// <summary>
/// Every build setting, declared once: name, value shape, default, help and the tasks that read it (this file is the
/// only place a setting is named by its string). Tasks and flows read typed families (<see cref="Golden"/>,
/// <see cref="Promote"/> (the Promote command), <see cref="Release"/>...); a family is parsed and checked as a whole the first time its
/// task asks for it, so a bad release setting cannot fail a Test run. Precedence: argument, <c>CIP_NAME</c>,
/// <c>cake.config [Cip] Name</c>, default (<see cref="SettingReader"/>).
/// </summary>
public sealed partial class BuildSettings
{
    private const string RegistryShape = "HOST[:PORT][/PREFIX]";

    /// <summary><c>--configuration</c>: the MSBuild configuration.</summary>
    public static readonly Setting<string> Configuration = new("configuration", "NAME", "Release", "Release",
        "MSBuild configuration", "Compile, Test", Text);

    /// <summary><c>--test-filter</c>: only the tests a <c>dotnet test --filter</c> expression selects.</summary>
    public static readonly Setting<string?> TestFilter = new("test-filter", "EXPR", null, "all tests",
        "Test: only the tests this dotnet test --filter expression selects, e.g. FullyQualifiedName~PushSrcTests", "Test", Text);

    /// <summary><c>--rebuild</c>: Restore and Compile run even when up to date.</summary>
    public static readonly Setting<bool> Rebuild = Flag("rebuild", "Restore and Compile run even when up to date", "Restore, Compile");

    /// <summary><c>--engine</c>: the image engine.</summary>
    public static readonly Setting<ImageEngineKind> Engine = new("engine", "oci|docker", ImageEngineKind.Oci, "oci",
        "oci (daemonless, in-process) or docker (docker load/push/manifest, docker build)", "LoadTarballs, PushSrc, E2E, PromoteRelease",
        Choice(("oci", ImageEngineKind.Oci), ("docker", ImageEngineKind.Docker)));

    /// <summary><c>--golden</c>: the golden set file.</summary>
    public static readonly Setting<string> GoldenSet = new("golden", "FILE", "images/golden/golden.yaml", "images/golden/golden.yaml",
        "the golden set file", "ContainerizeGolden, LoadTarballs, PushSrc, E2E", Text);

    /// <summary>The golden sets of the repository, which ContainerizeGolden builds or verifies when <c>--golden</c> is not given.</summary>
    public static readonly IReadOnlyList<string> RepositoryGoldenSets = ["images/golden/golden.yaml", "images/golden/upstream/golden.yaml"];

    /// <summary><c>--golden-archives</c>: where the golden archives are (wins over the file's <c>archiveRoot:</c>).</summary>
    public static readonly Setting<string?> GoldenArchives = new("golden-archives", "DIR", null, "the file's archiveRoot:",
        "where the archives are (wins over the file's key)", "ContainerizeGolden, LoadTarballs, PushSrc, E2E", Text);

    /// <summary><c>--verify</c>: ContainerizeGolden and RenderJobs only check the committed files.</summary>
    public static readonly Setting<bool> Verify = Flag("verify",
        "only check the committed files (ContainerizeGolden: the golden archives; RenderJobs: manifests/k8s)", "ContainerizeGolden, RenderJobs");

    /// <summary><c>--k8s-dir</c>: where RenderJobs writes (or verifies) the Kubernetes and Prow manifests.</summary>
    public static readonly Setting<string> KubernetesDir = new("k8s-dir", "DIR", "manifests/k8s", "manifests/k8s",
        "where RenderJobs writes (or with --verify checks) the Prow job config and the kustomize base and overlays", "RenderJobs, PromoteOnCluster", Text);

    /// <summary><c>--registry</c>: PushSrc's source registry.</summary>
    public static readonly Setting<string?> Registry = new("registry", RegistryShape, null, "a local registry",
        "PushSrc's source registry", "PushSrc", RegistryName);

    /// <summary><c>--registry-aliases</c>: serve a registry host from another address.</summary>
    public static readonly Setting<IReadOnlyList<KeyValuePair<string, string>>> RegistryAliases = new("registry-aliases", "HOST=ADDRESS,...", [], "",
        "serve a registry host from another address", "PushSrc, PurgeDest, E2E, Promote, PromoteRelease", Pairs);

    /// <summary><c>--registry-storage</c>: the storage root of a Distribution registry on this machine.</summary>
    public static readonly Setting<IReadOnlyList<KeyValuePair<string, string>>> RegistryStorage = new("registry-storage", "HOST=FOLDER,...", [], "",
        "storage root of a Distribution registry on this machine, so PurgeDest and snapshots find tagless manifests", "PurgeDest, Promote", Pairs);

    /// <summary><c>--registry-timeout</c>: seconds a registry may stay silent before a request to it fails.</summary>
    public static readonly Setting<int> RegistryTimeout = new("registry-timeout", "SECONDS", 120, "120",
        "seconds a registry may stay silent (sending nothing, taking nothing) before a request to it fails; connecting may take at most 30 of them",
        "PushSrc, PurgeDest, E2E, Promote, PromoteRelease", Int(1, 3600));

    /// <summary><c>--max-requests-per-second</c>: the rate limit per registry host.</summary>
    public static readonly Setting<int> MaxRequestsPerSecond = new("max-requests-per-second", "0..100000", 50, "50 (loopback: unlimited)",
        "requests per second to one registry host at most (kpromo's default); 0 means unlimited. Unless given, loopback hosts (local registries) are not limited",
        "PushSrc, PurgeDest, E2E, Promote, PromoteRelease", Int(0, 100000));

    /// <summary><c>--retry-budget</c>: how long one registry request may keep being retried.</summary>
    public static readonly Setting<TimeSpan> RetryBudget = new("retry-budget", "DURATION", TimeSpan.FromMinutes(12), "12m",
        "how long one registry request may keep being retried (after 429 with its Retry-After, 502/503/504, a reset, a timeout) before it fails",
        "PushSrc, PurgeDest, E2E, Promote, PromoteRelease", Duration(TimeSpan.Zero, TimeSpan.FromHours(24)));

    /// <summary><c>--metadata-server</c>: the GCE/GKE metadata server Google access tokens are asked from.</summary>
    public static readonly Setting<Uri?> MetadataServer = new("metadata-server", "URL", null, "http://metadata.google.internal/",
        "the GCE/GKE metadata server asked for an access token to Google's registries when gcloud gives none (tests point it at a loopback server)",
        "PushSrc, PurgeDest, E2E, Promote, PromoteRelease", HttpAddress);

    /// <summary><c>--e2e-file</c>: the e2e test file.</summary>
    public static readonly Setting<string> E2EFile = new("e2e-file", "FILE", "manifests/e2e/tests.yaml", "manifests/e2e/tests.yaml",
        "the e2e test file of E2E and PurgeDest", "E2E, PurgeDest", Text);

    /// <summary><c>--e2e-new-test-signatures</c>: sign the e2e <c>attach</c> fixtures anew with a key made in memory.</summary>
    public static readonly Setting<bool> E2ENewTestSignatures = Flag("e2e-new-test-signatures",
        "E2E: make the `attach:` fixtures' test-only signatures anew with a P-256 key generated in memory, rewriting the fixture and its public key (the private key is never written)", "E2E");

    /// <summary><c>--purge-registries</c>: only these destinations of the e2e file.</summary>
    public static readonly Setting<IReadOnlyList<string>?> PurgeRegistries = new("purge-registries", "NAME,...", null, "all destinations",
        "PurgeDest: only these destinations of the e2e file (others refused)", "PurgeDest", List);

    /// <summary><c>--allow-remote-purge</c>: let PurgeDest purge non-loopback registries.</summary>
    public static readonly Setting<bool> AllowRemotePurge = Flag("allow-remote-purge", "let PurgeDest purge non-loopback registries", "PurgeDest");

    /// <summary><c>--manifest</c>: a promoter manifest.</summary>
    public static readonly Setting<string?> Manifest = new("manifest", "FILE", null, "",
        "Promote: a promoter manifest (or --thin-manifest-dir)", "Promote", Text);

    /// <summary><c>--thin-manifest-dir</c>: a thin-manifest directory.</summary>
    public static readonly Setting<string?> ThinManifestDir = new("thin-manifest-dir", "DIR", null, "",
        "Promote: a thin-manifest directory (manifests/ and images/)", "Promote", Text);

    /// <summary><c>--threads</c>: concurrent registry operations of a promotion.</summary>
    public static readonly Setting<int> Threads = new("threads", "1..256", 8, "8",
        "Promote: registry operations at once", "Promote", Int(1, 256));

    /// <summary><c>--confirm</c>: act (Promote, PromoteRelease); otherwise a dry run.</summary>
    public static readonly Setting<bool> Confirm = Flag("confirm", "act; otherwise a dry run", "Promote, PromoteRelease, PromotionPR");

    /// <summary><c>--dry-run</c>: upstream's flag; <c>--dry-run=false</c> acts like <c>--confirm</c>.</summary>
    public static readonly Setting<bool?> DryRun = new("dry-run", "true|false", null, "true",
        "Promote: upstream's flag; --dry-run=false acts like --confirm", "Promote", text => Bool(text), isFlag: true);

    /// <summary><c>--allow-tag-moves</c>: move a destination tag that points at another digest.</summary>
    public static readonly Setting<bool> AllowTagMoves = Flag("allow-tag-moves", "Promote: move a destination tag that points at another digest", "Promote");

    /// <summary><c>--plan-out</c>: write the promotion plan as JSON.</summary>
    public static readonly Setting<string?> PlanOut = new("plan-out", "FILE", null, "",
        "Promote: write the plan (every edge's action) as JSON, also when it is then refused", "Promote", Text);

    /// <summary><c>--snapshot</c>: print a registry's snapshot instead of promoting.</summary>
    public static readonly Setting<string?> Snapshot = new("snapshot", RegistryShape, null, "",
        "Promote: print the registry's snapshot in upstream's YAML instead of promoting", "Promote", RegistryName);

    /// <summary><c>--shard</c>: promote only shard I of N (the destination repositories that hash to I).</summary>
    public static readonly Setting<PromotionShard?> Shard = new("shard", "I/N", null, "",
        "Promote: promote only shard I (0 to N-1) of N: the edges whose destination repository hashes to I (N processes with I = 0..N-1 do one whole promotion)",
        "Promote", PromotionShard.Parse);

    /// <summary><c>--shards</c>: N shards, this process's index from <c>JOB_COMPLETION_INDEX</c> (a pod of an Indexed Job).</summary>
    public static readonly Setting<int?> Shards = new("shards", "N", null, "",
        $"Promote: one of N shards, its index I from {PromotionShard.CompletionIndexVariable} (set in the pods of an Indexed Job)",
        "Promote", text => Int(1, PromotionShard.MaxCount)(text));

    /// <summary><c>--copy-attachments</c>: carry cosign tags and OCI referrers of every promoted digest (default true).</summary>
    public static readonly Setting<bool> CopyAttachments = new("copy-attachments", "true|false", true, "true",
        "Promote: carry the .sig/.att/.sbom tags and OCI referrers of every promoted digest; =false leaves them behind", "Promote", Bool, isFlag: true);

    /// <summary><c>--sign</c>: sign each promoted digest in each destination.</summary>
    public static readonly Setting<bool> Sign = Flag("sign", "Promote: sign each promoted digest in each destination (cosign key-based format; needs --signing-key); PromoteRelease: sign each release image in each production registry", "Promote, PromoteRelease");

    /// <summary><c>--signing-key</c>: the PEM private key of <c>--sign</c>.</summary>
    public static readonly Setting<string?> SigningKey = new("signing-key", "FILE", null, "",
        "Promote: PEM EC P-256 private key for --sign (PKCS#8, encrypted PKCS#8 or SEC1)", "Promote, PromoteRelease", Text);

    /// <summary><c>--signing-key-passphrase-file</c>: the file whose first line is the key's passphrase.</summary>
    public static readonly Setting<string?> SigningKeyPassphraseFile = new("signing-key-passphrase-file", "FILE", null, "",
        "Promote: file whose first line is the passphrase of an encrypted --signing-key", "Promote, PromoteRelease", Text);

    /// <summary><c>--signing-key-passphrase-env</c>: the environment variable holding the key's passphrase.</summary>
    public static readonly Setting<string?> SigningKeyPassphraseEnv = new("signing-key-passphrase-env", "NAME", null, "",
        "Promote: environment variable holding the passphrase of an encrypted --signing-key", "Promote, PromoteRelease", Text);

    /// <summary><c>--require-signature</c>: refuse source digests without a valid signature for this public key.</summary>
    public static readonly Setting<string?> RequireSignature = new("require-signature", "PUBKEY", null, "",
        "Promote: PEM public key; a source digest without a valid cosign signature for it is refused", "Promote", Text);

    /// <summary><c>--cluster-env</c>: the environment whose sharded overlay PromoteOnCluster applies.</summary>
    public static readonly Setting<string> ClusterEnvironment = new("cluster-env", "staging|production", "staging", "staging",
        "PromoteOnCluster: the environment whose overlay (manifests/k8s/overlays/ENV-sharded) is applied (one of PipelineJobs.Environments, checked by PromoteOnCluster)",
        "PromoteOnCluster", Text);

    /// <summary><c>--kube-context</c>: the kubeconfig context PromoteOnCluster uses.</summary>
    public static readonly Setting<string?> KubeContext = new("kube-context", "NAME", null, "the current context",
        "PromoteOnCluster: the kubeconfig context kubectl uses", "PromoteOnCluster", Text);

    /// <summary><c>--cluster-timeout</c>: seconds PromoteOnCluster waits for the Job.</summary>
    public static readonly Setting<int> ClusterTimeout = new("cluster-timeout", "SECONDS", 3900, "3900",
        "PromoteOnCluster: seconds to wait for the sharded Job to complete or fail (its activeDeadlineSeconds is 3600)", "PromoteOnCluster",
        Int(1, 7 * 24 * 3600));

    /// <summary><c>--since</c>: diff this revision to the head instead of the job's range.</summary>
    public static readonly Setting<string?> Since = new("since", "REV", null, "the job's range",
        "PromoteRelease: diff <rev>..HEAD instead of the job's range", "PromoteRelease", Text);

    /// <summary><c>--allow-prerelease</c>: let a pre-release VERSION release.</summary>
    public static readonly Setting<bool> AllowPrerelease = Flag("allow-prerelease", "PromoteRelease: let a pre-release VERSION release", "PromoteRelease");

    /// <summary><c>--staging-registry</c>: where the release images are pushed.</summary>
    public static readonly Setting<string?> StagingRegistry = new("staging-registry", RegistryShape, null, "a local registry, …/cip-staging",
        "PromoteRelease: where the release images are pushed", "PromoteRelease", RegistryName);

    /// <summary><c>--production-registries</c>: the release promotion's destinations.</summary>
    public static readonly Setting<IReadOnlyList<string>?> ProductionRegistries = new("production-registries", RegistryShape + ",...", null,
        "two local registries, …/cip-prod", "PromoteRelease: the promotion's destinations", "PromoteRelease",
        text => List(text).Select(RegistryName).ToList()!);

    /// <summary><c>--release-images</c>: the release image definitions.</summary>
    public static readonly Setting<string> ReleaseImages = new("release-images", "FILE", "images/release/release.yaml", "images/release/release.yaml",
        "PromoteRelease: release image definitions", "PromoteRelease", Text);

    /// <summary><c>--release-manifest</c>: the production promoter manifest written.</summary>
    public static readonly Setting<string> ReleaseManifest = new("release-manifest", "FILE", "manifests/release/promoter-manifest.yaml",
        "manifests/release/promoter-manifest.yaml", "PromoteRelease: the production promoter manifest written", "PromoteRelease", Text);

    /// <summary><c>--git-remote</c>: where the release tag is pushed.</summary>
    public static readonly Setting<string> GitRemote = new("git-remote", "NAME", "origin", "origin",
        "PromoteRelease: where the tag is pushed", "PromoteRelease", Text);

    /// <summary>Every declared setting, in the order help lists them.</summary>
    public static readonly IReadOnlyList<SettingDeclaration> All =
    [
        Configuration, TestFilter, Rebuild, Engine, GoldenSet, GoldenArchives, Verify, KubernetesDir, Registry, RegistryAliases, RegistryStorage, RegistryTimeout, MaxRequestsPerSecond, RetryBudget, MetadataServer, E2EFile, E2ENewTestSignatures,
        PurgeRegistries, AllowRemotePurge, Manifest, ThinManifestDir, Threads, Confirm, DryRun, AllowTagMoves, PlanOut, Snapshot,
        CopyAttachments, Sign, SigningKey, SigningKeyPassphraseFile, SigningKeyPassphraseEnv, RequireSignature,
        Shard, Shards, ClusterEnvironment, KubeContext, ClusterTimeout, Since, AllowPrerelease, StagingRegistry, ProductionRegistries, ReleaseImages, ReleaseManifest, GitRemote, .. PresubmitFlags.All, .. PullRequestFlags.All, .. FleetFlags.All, .. OfflineFlags.All, .. ReportFlags.All,
        .. ProvenanceFlags.All,
    ];

    /// <summary>
    /// The settings that contradict each other, declared once: <see cref="SettingReader"/> refuses a pair when a run reads
    /// either of them and both hold, naming both and where each came from (argument, <c>CIP_...</c>, cake.config).
    /// Only real contradictions are listed: pairs where one setting would be silently ignored or undo the other.
    /// </summary>
    public static readonly IReadOnlyList<SettingConflict> Conflicts = DeclareConflicts();

    private static List<SettingConflict> DeclareConflicts()
    {
        SettingCondition Given(SettingDeclaration setting) => SettingCondition.Given(setting);
        var confirm = SettingCondition.Is(Confirm, true);
        var dryRunFalse = SettingCondition.Is(DryRun, false);
        var writes = new[] { confirm, dryRunFalse };
        var plan = Given(PresubmitFlags.Plan);
        var snapshot = Given(Snapshot);
        var list = new List<SettingConflict>
        {
            new(confirm, SettingCondition.Is(DryRun, true), "--confirm promotes, a dry run writes nothing"),
            new(SettingCondition.Is(Confirm, false), dryRunFalse, "--confirm=false asks for a dry run, --dry-run=false for a promotion"),
            new(Given(Manifest), Given(ThinManifestDir), "a promotion reads one promoter manifest or one thin-manifest directory"),
            new(plan, Given(Manifest), "--plan holds the edges to execute; a manifest would be ignored"),
            new(plan, Given(ThinManifestDir), "--plan holds the edges to execute; a thin-manifest directory would be ignored"),
            new(plan, Given(PresubmitFlags.UseProwManifestDiff), "--plan executes exactly the reviewed edges; a manifest diff would be ignored"),
            new(plan, Given(PresubmitFlags.ManifestDiffSince), "--plan executes exactly the reviewed edges; a manifest diff would be ignored"),
            new(Given(PresubmitFlags.UseProwManifestDiff), Given(PresubmitFlags.ManifestDiffSince), "each names the range of the manifest diff"),
            new(snapshot, Given(Manifest), "--snapshot prints a registry instead of promoting; the manifest would be ignored"),
            new(snapshot, Given(ThinManifestDir), "--snapshot prints a registry instead of promoting; the thin-manifest directory would be ignored"),
            new(snapshot, plan, "--snapshot prints a registry instead of promoting; the plan would be ignored"),
            new(snapshot, Given(PresubmitFlags.ManifestBasedSnapshotOf), "each prints a snapshot, and only one would be printed"),
            new(Given(Shard), Given(Shards), $"each chooses the shard (--shards with the index from {PromotionShard.CompletionIndexVariable})"),
            new(Given(SigningKeyPassphraseFile), Given(SigningKeyPassphraseEnv), "each gives the passphrase of the signing key"),
        };
        foreach (var write in writes)
        {
            list.Add(new(snapshot, write, "--snapshot only reads a registry; nothing would be promoted"));
            list.Add(new(Given(PresubmitFlags.ManifestBasedSnapshotOf), write, "--manifest-based-snapshot-of only prints what the manifests would give; nothing would be promoted"));
            list.Add(new(SettingCondition.Is(PresubmitFlags.ParseOnly, true), write, "--parse-only contacts no registry; nothing would be promoted"));
        }
        list.AddRange(OfflineFlags.Conflicts());
        return list;
    }

    private readonly SettingReader _reader;
    private readonly string _root;

    /// <summary>The settings of one run.</summary>
    /// <param name="reader">Resolves each setting's text.</param>
    /// <param name="repositoryRoot">The folder relative paths are resolved against (the working directory).</param>
    public BuildSettings(SettingReader reader, string repositoryRoot)
    {
        _reader = reader;
        _root = repositoryRoot;
    }

    /// <summary>The image engine of the run.</summary>
    /// <exception cref="CakeException">Not oci or docker.</exception>
    public ImageEngineKind EngineKind => _reader.Get(Engine);

    /// <summary>Restore, Compile and Test.</summary>
    public CompileSettings Compile => new(_reader.Get(Configuration), _reader.Get(Rebuild));

    /// <summary>Test: the <c>dotnet test --filter</c> expression, or null for every test.</summary>
    public string? TestSelection => _reader.Get(TestFilter);

    /// <summary>ContainerizeGolden, LoadTarballs, PushSrc and E2E's golden set.</summary>
    public GoldenSettings Golden => new(FullPath(_reader.Get(GoldenSet)), _reader.Get(GoldenArchives) is { } archives ? FullPath(archives) : null,
        _reader.Get(Verify), _reader.Get(Registry),
        _reader.IsGiven(GoldenSet) ? [FullPath(_reader.Get(GoldenSet))] : RepositoryGoldenSets.Select(FullPath).ToList());

    /// <summary>RenderJobs.</summary>
    public JobsSettings Jobs => new(FullPath(_reader.Get(KubernetesDir)), _reader.Get(Verify));

    /// <summary>The run's registry pool: aliases and known storage folders.</summary>
    /// <exception cref="CakeException">A storage folder does not exist.</exception>
    public RegistrySettings Registries
    {
        get
        {
            var storage = _reader.Get(RegistryStorage).Select(p => KeyValuePair.Create(p.Key, FullPath(p.Value))).ToList();
            foreach (var (host, folder) in storage)
                if (!Directory.Exists(folder))
                    throw new CakeException($"Setting '{RegistryStorage.Name}': the storage folder '{folder}' of {host} does not exist.");
            return new RegistrySettings(_reader.Get(RegistryAliases), storage, TimeSpan.FromSeconds(_reader.Get(RegistryTimeout)),
                _reader.Get(MetadataServer), _reader.Get(MaxRequestsPerSecond), _reader.IsGiven(MaxRequestsPerSecond), _reader.Get(RetryBudget))
            {
                QuotaDomainsFile = _reader.Get(FleetFlags.QuotaDomains) is { } domains ? FullPath(domains) : null,
            };
        }
    }

    /// <summary>E2E.</summary>
    public E2ESettings E2E => new(FullPath(_reader.Get(E2EFile))) { NewTestSignatures = _reader.Get(E2ENewTestSignatures) };

    /// <summary>PurgeDest.</summary>
    public PurgeSettings Purge => new(FullPath(_reader.Get(E2EFile)), _reader.Get(PurgeRegistries), _reader.Get(AllowRemotePurge));

    /// <summary>PromoteOnCluster.</summary>
    public ClusterSettings Cluster => new(FullPath(_reader.Get(KubernetesDir)), _reader.Get(ClusterEnvironment), _reader.Get(KubeContext),
        TimeSpan.FromSeconds(_reader.Get(ClusterTimeout)));

    /// <summary>PromoteRelease; checked as a whole.</summary>
    public ReleaseSettings Release => new(_reader.Get(Confirm), _reader.Get(Since), _reader.Get(AllowPrerelease), _reader.Get(StagingRegistry),
        _reader.Get(ProductionRegistries), FullPath(_reader.Get(ReleaseImages)), FullPath(_reader.Get(ReleaseManifest)), _reader.Get(GitRemote))
    {
        Signing = new Promoter.Promotion.Engine.SigningArguments
        {
            Sign = _reader.Get(Sign),
            SigningKey = _reader.Get(SigningKey) is { } key ? FullPath(key) : null,
            PassphraseFile = _reader.Get(SigningKeyPassphraseFile) is { } file ? FullPath(file) : null,
            PassphraseVariable = _reader.Get(SigningKeyPassphraseEnv),
        },
    };

    /// <summary>Fails on an argument that is not a declared setting or a Cake option (see <see cref="SettingReader.RejectUnknown"/>).</summary>
    /// <exception cref="CakeException">The message names the argument and the closest declared names.</exception>
    public void RejectUnknownArguments() => _reader.RejectUnknown(All.ToList(), KpromoFlags.Refusal);

    /// <summary>The settings as help lists them: one line each with value shape, default, the tasks that read it and the help text.</summary>
    public static string HelpText()
    {
        var lines = new List<string>
        {
            "Build settings (--name=value; else the environment variable CIP_NAME; else cake.config [Cip] Name; else the default):",
        };
        var width = All.Max(s => s.Name.Length + s.Type.Length) + 4;
        foreach (var setting in All)
        {
            var head = $"  --{setting.Name} {setting.Type}".PadRight(width + 2);
            var fallback = setting.DefaultText.Length > 0 ? $" (default: {setting.DefaultText})" : "";
            lines.Add($"{head}{setting.Help}{fallback} [{setting.Tasks}]");
        }
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    /// <summary>The path of the settings reference generated from the declarations, relative to the repository root.</summary>
    public const string ReferenceFile = "build/Build/Settings/README.md";

    /// <summary>
    /// The settings reference as Markdown, generated from <see cref="All"/>: one row per setting with its value shape,
    /// default, environment variable, the tasks that read it and its help. <see cref="ReferenceFile"/> holds it verbatim
    /// below its introduction (a test keeps the two equal).
    /// </summary>
    public static string ReferenceMarkdown()
    {
        static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
        var lines = new List<string>
        {
            "| Setting | Value | Default | Environment | Read by | Meaning |",
            "|---|---|---|---|---|---|",
        };
        foreach (var setting in All)
            lines.Add($"| `{setting.Name}` | `{Cell(setting.Type)}` | {Cell(setting.DefaultText)} | `{setting.EnvironmentVariable}` | {Cell(setting.Tasks)} | {Cell(setting.Help)} |");
        return string.Join("\n", lines) + "\n";
    }

    private string FullPath(string path) => Path.GetFullPath(Path.Combine(_root, path));

    private static Setting<bool> Flag(string name, string help, string tasks) =>
        new(name, "true|false", false, "false", help, tasks, Bool, isFlag: true);

    /// <summary>An absolute <c>http://</c> URL (a base address; a path is kept as the base).</summary>
    private static Uri? HttpAddress(string text) =>
        Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp
            ? uri
            : throw new FormatException($"expected an http:// URL (e.g. http://127.0.0.1:8080/), got '{text}'.");

    /// <summary>A registry name <c>host[:port][/prefix]</c>, checked by <see cref="RegistryPath.Parse"/>.</summary>
    private static string? RegistryName(string text)
    {
        RegistryPath.Parse(text);
        return text;
    }
}
