using Build.Settings;
using k8s.Models;

namespace Build.Kubernetes;

/// <summary>
/// The one typed source of this repository's jobs (RenderJobs writes them under <c>manifests/k8s/</c>): the Prow job
/// configuration (presubmit Test, ContainerizeGolden --verify and E2E, and the offline manifests check; postsubmit PromoteRelease --confirm; a periodic
/// promotion), and a kustomize base with a CronJob (scheduled promotion), a Job (one-off promotion) and their
/// ServiceAccount, with one overlay per <see cref="Environments"/> entry. Every pod runs <c>./build.sh</c> in the build
/// image, pinned by digest, with resource requests; registry credentials are docker's <c>config.json</c> from a mounted
/// secret named <see cref="CredentialsSecret"/>, never a value here.
/// </summary>
public static class PipelineJobs
{
    /// <summary>The GitHub organisation and repository Prow runs the jobs for.</summary>
    public const string Org = "kubernetes-sigs", Repo = "promo-tools";

    /// <summary>The build image in the base: the .NET SDK and git, running <c>./build.sh</c> in a clone.</summary>
    public const string BuildImage = "gcr.io/k8s-staging-cip/cip-build";

    /// <summary>The base's digest: a placeholder (all zeros) every overlay replaces with its environment's digest.</summary>
    public const string PlaceholderDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The service account of every pod (bind workload identity to it, per environment).</summary>
    public const string ServiceAccount = "cip-promoter";

    /// <summary>The secret holding docker's <c>config.json</c>, mounted at <see cref="DockerConfigFolder"/> (created outside this repository).</summary>
    public const string CredentialsSecret = "cip-registry-credentials";

    /// <summary>Where the credentials secret is mounted; <c>DOCKER_CONFIG</c> points here.</summary>
    public const string DockerConfigFolder = "/etc/cip/docker";

    /// <summary>Where the repository is cloned in the build image (its working directory), for the cluster jobs.</summary>
    public const string Workspace = "/workspace/promo-tools";

    /// <summary>The schedule of the scheduled promotion (CronJob and Prow periodic), UTC.</summary>
    public const string PromotionSchedule = "17 */4 * * *";

    /// <summary>How long a promotion may run (activeDeadlineSeconds, Prow's decoration timeout).</summary>
    public const int PromotionDeadlineSeconds = 3600;

    /// <summary>Where Prow's pod utilities collect artifacts; decoration sets <c>ARTIFACTS</c> to it, and so do the jobs.</summary>
    public const string ProwArtifacts = "/logs/artifacts";

    /// <summary>
    /// The environments, one overlay each. No build image is published from this repository yet: the digests are
    /// placeholders to replace with the published image's (the base's all-zeros digest is never deployed).
    /// </summary>
    public static readonly IReadOnlyList<JobEnvironment> Environments =
    [
        new("staging", "cip-staging", BuildImage, "sha256:" + new string('1', 64)),
        new("production", "cip-prod", "us.gcr.io/k8s-artifacts-prod/cip/cip-build", "sha256:" + new string('2', 64)),
    ];

    /// <summary>The bootstrap's command for task <paramref name="name"/> (<see cref="TaskNames"/>, which the task classes
    /// carry too: a renamed task renames the jobs): <c>./build.sh --target NAME</c>.</summary>
    private static string[] Target(string name) => ["./build.sh", "--target", name];

    /// <summary>The command of a scheduled or one-off promotion: the production promoter manifest, confirmed.</summary>
    public static readonly IReadOnlyList<string> PromoteCommand =
        [.. Target(TaskNames.Promote), BuildSettings.Manifest.Argument("manifests/release/promoter-manifest.yaml"), BuildSettings.Confirm.FlagArgument()];

    /// <summary>The schedule of the daily audit (<see cref="AuditCommand"/>), UTC: once a day, between two scheduled promotions.</summary>
    public const string AuditSchedule = "47 3 * * *";

    /// <summary>
    /// The command of the daily audit: <see cref="PromoteCommand"/> with <c>--verify-destination</c>, so every manifest and
    /// blob already promoted is checked and what a registry lost is written again (a plain run checks only what it tags).
    /// </summary>
    public static readonly IReadOnlyList<string> AuditCommand = [.. PromoteCommand, BuildSettings.PresubmitFlags.VerifyDestination.FlagArgument()];

    /// <summary>How many pods (shards) the sharded promotion runs: completions and parallelism of its Indexed Job.</summary>
    public const int PromotionShards = 4;

    /// <summary>The sharded promotion's Job name; <c>PromoteOnCluster</c> applies it under a name with a run suffix.</summary>
    public const string ShardedJobName = "cip-promote-sharded";

    /// <summary>
    /// The command of each pod of the sharded promotion: <see cref="PromoteCommand"/> with <c>--shards=N</c>, so each pod
    /// promotes the destination repositories of its <c>JOB_COMPLETION_INDEX</c> (Promote's <c>PromotionShard</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> ShardedPromoteCommand =
        [.. PromoteCommand, BuildSettings.Shards.Argument(PromotionShards.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The postsubmit's release command (the README's Prow postsubmit).</summary>
    public static readonly IReadOnlyList<string> ReleaseCommand =
    [
        .. Target(TaskNames.PromoteRelease), BuildSettings.Confirm.FlagArgument(), BuildSettings.StagingRegistry.Argument("gcr.io/k8s-staging-cip"),
        BuildSettings.ProductionRegistries.Argument("us.gcr.io/k8s-artifacts-prod/cip,eu.gcr.io/k8s-artifacts-prod/cip"),
    ];

    /// <summary>The presubmits: job name and command.</summary>
    public static readonly IReadOnlyList<(string Name, IReadOnlyList<string> Command)> Presubmits =
    [
        ("cip-pull-test", Target(TaskNames.Test)),
        ("cip-pull-golden-verify", [.. Target(TaskNames.ContainerizeGolden), BuildSettings.Verify.FlagArgument()]),
        ("cip-pull-e2e", Target(TaskNames.E2E)),
    ];

    /// <summary>The project's production promotion, a thin-manifest directory the manifests presubmit checks.</summary>
    public const string ProductionManifests = "manifests/production";

    /// <summary>The committed snapshot of each production registry of <see cref="ProductionManifests"/> (kpromo's snapshot YAML).</summary>
    public static readonly IReadOnlyList<(string Registry, string File)> ProductionSnapshots =
    [
        ("us.gcr.io/k8s-artifacts-prod/cip", "manifests/snapshots/us.gcr.io-k8s-artifacts-prod-cip.yaml"),
        ("eu.gcr.io/k8s-artifacts-prod/cip", "manifests/snapshots/eu.gcr.io-k8s-artifacts-prod-cip.yaml"),
    ];

    /// <summary>The manifests presubmit runs on pull requests changing these paths (the manifests or the snapshots).</summary>
    public const string ManifestsPresubmitChanges = "^manifests/(production|snapshots)/";

    /// <summary>
    /// The manifests presubmit's command: <see cref="ProductionManifests"/> checked against <see cref="ProductionSnapshots"/>
    /// with no network (<c>Promote --against-snapshot</c>), so a pull request from a fork, which has no registry
    /// credentials, is refused a tag move, an overlap or a lost digest naming the manifest's file:line.
    /// </summary>
    public static readonly IReadOnlyList<string> ManifestsPresubmitCommand =
    [
        .. Target(TaskNames.Promote), BuildSettings.ThinManifestDir.Argument(ProductionManifests),
        .. ProductionSnapshots.Select(s => BuildSettings.OfflineFlags.AgainstSnapshot.Argument($"{s.Registry}={s.File}")),
    ];

    private static readonly string[] Header =
    [
        "Generated by `./build.sh --target RenderJobs` from build/Build/Kubernetes/PipelineJobs.cs: do not edit;",
        "change the code and run RenderJobs (CI runs RenderJobs --verify).",
    ];

    /// <summary>Every file under <c>manifests/k8s/</c>, by path relative to it.</summary>
    public static RenderedFiles Render()
    {
        var files = new Dictionary<string, string>
        {
            ["prow/jobs.yaml"] = KubernetesYamlText.WriteProw(Header, Prow()),
            ["base/serviceaccount.yaml"] = KubernetesYamlText.Documents(Header, [Account()]),
            ["base/promote-cronjob.yaml"] = KubernetesYamlText.Documents(Header, [ScheduledPromotion()]),
            ["base/promote-job.yaml"] = KubernetesYamlText.Documents(Header, [OneOffPromotion()]),
            ["base/kustomization.yaml"] = KubernetesYamlText.Kustomization(Header, new Kustomization
            {
                Resources = ["serviceaccount.yaml", "promote-cronjob.yaml", "promote-job.yaml"],
            }),
        };
        files["sharded/serviceaccount.yaml"] = files["base/serviceaccount.yaml"];
        files["sharded/promote-sharded-job.yaml"] = KubernetesYamlText.Documents(Header, [ShardedPromotion()]);
        files["sharded/kustomization.yaml"] = KubernetesYamlText.Kustomization(Header, new Kustomization
        {
            Resources = ["serviceaccount.yaml", "promote-sharded-job.yaml"],
        });
        foreach (var environment in Environments)
            files[$"overlays/{environment.Name}-sharded/kustomization.yaml"] = KubernetesYamlText.Kustomization(Header, new Kustomization
            {
                Namespace = environment.Namespace,
                Resources = ["../../sharded"],
                Images = [new KustomizeImage { Name = BuildImage, NewName = environment.Image, Digest = environment.Digest }],
            });
        foreach (var environment in Environments)
            files[$"overlays/{environment.Name}/kustomization.yaml"] = KubernetesYamlText.Kustomization(Header, new Kustomization
            {
                Namespace = environment.Namespace,
                Resources = ["../../base"],
                Images = [new KustomizeImage { Name = BuildImage, NewName = environment.Image, Digest = environment.Digest }],
            });
        return new RenderedFiles(files);
    }

    /// <summary>The Prow job configuration; its pods use the production image (Prow's build cluster is not kustomized).</summary>
    public static ProwJobConfig Prow()
    {
        var production = Environments.Single(e => e.Name == "production");
        var image = $"{production.Image}@{production.Digest}";
        var repository = $"{Org}/{Repo}";
        var decoration = new ProwDecorationConfig { Timeout = $"{PromotionDeadlineSeconds / 60}m" };
        return new ProwJobConfig
        {
            Presubmits = new()
            {
                [repository] = Presubmits.Select(p => new ProwJob
                {
                    Name = p.Name, AlwaysRun = true, Branches = ["^main$"], Decorate = true, DecorationConfig = decoration,
                    Spec = ProwPod(image, p.Command, credentials: false),
                }).Append(new ProwJob
                {
                    Name = "cip-pull-manifests-immutable", AlwaysRun = false, RunIfChanged = ManifestsPresubmitChanges, Branches = ["^main$"],
                    Decorate = true, DecorationConfig = decoration, Spec = ProwPod(image, ManifestsPresubmitCommand, credentials: false),
                }).ToList(),
            },
            Postsubmits = new()
            {
                [repository] =
                [
                    new ProwJob
                    {
                        Name = "cip-post-promote-release", Branches = ["^main$"], Decorate = true, DecorationConfig = decoration,
                        Spec = ProwPod(image, ReleaseCommand, credentials: true),
                    },
                ],
            },
            Periodics =
            [
                new ProwJob
                {
                    Name = "cip-ci-promote", Cron = PromotionSchedule, Decorate = true, DecorationConfig = decoration,
                    ExtraRefs = [new ProwRefs { Org = Org, Repo = Repo, BaseRef = "main" }],
                    Spec = ProwPod(image, PromoteCommand, credentials: true),
                },
                new ProwJob
                {
                    Name = "cip-ci-audit", Cron = AuditSchedule, Decorate = true, DecorationConfig = decoration,
                    ExtraRefs = [new ProwRefs { Org = Org, Repo = Repo, BaseRef = "main" }],
                    Spec = ProwPod(image, AuditCommand, credentials: true),
                },
            ],
        };
    }

    /// <summary>The ServiceAccount every pod runs as; it mounts no API token (the jobs never call the API server).</summary>
    public static V1ServiceAccount Account() => new()
    {
        ApiVersion = "v1", Kind = "ServiceAccount", Metadata = Meta(ServiceAccount), AutomountServiceAccountToken = false,
    };

    /// <summary>The scheduled promotion: <see cref="PromoteCommand"/> every <see cref="PromotionSchedule"/>, never two at once.</summary>
    public static V1CronJob ScheduledPromotion() => new()
    {
        ApiVersion = "batch/v1", Kind = "CronJob", Metadata = Meta("cip-promote-scheduled"),
        Spec = new V1CronJobSpec
        {
            Schedule = PromotionSchedule, TimeZone = "Etc/UTC", ConcurrencyPolicy = "Forbid", StartingDeadlineSeconds = 600,
            SuccessfulJobsHistoryLimit = 3, FailedJobsHistoryLimit = 3,
            JobTemplate = new V1JobTemplateSpec { Metadata = new V1ObjectMeta { Labels = Labels() }, Spec = PromotionJob() },
        },
    };

    /// <summary>A one-off promotion: <see cref="PromoteCommand"/> once (delete it before applying it again).</summary>
    public static V1Job OneOffPromotion() => new()
    {
        ApiVersion = "batch/v1", Kind = "Job", Metadata = Meta("cip-promote-once"), Spec = PromotionJob(),
    };

    /// <summary>
    /// The sharded promotion: an Indexed Job of <see cref="PromotionShards"/> pods at once, pod I running
    /// <see cref="ShardedPromoteCommand"/> with Kubernetes' <c>JOB_COMPLETION_INDEX</c> = I; together they do one
    /// promotion, no two writing one repository. Its own kustomize base (<c>sharded/</c>), so applying an environment's
    /// overlay never starts it; <c>PromoteOnCluster</c> applies it.
    /// </summary>
    public static V1Job ShardedPromotion()
    {
        var spec = PromotionJob(ShardedPromoteCommand);
        spec.CompletionMode = "Indexed";
        spec.Completions = PromotionShards;
        spec.Parallelism = PromotionShards;
        // Pod failures are counted over the whole Job: about two retries per shard, as the one-off Job has.
        spec.BackoffLimit = 2 * PromotionShards;
        return new V1Job { ApiVersion = "batch/v1", Kind = "Job", Metadata = Meta(ShardedJobName), Spec = spec };
    }

    private static V1JobSpec PromotionJob() => PromotionJob(PromoteCommand);

    private static V1JobSpec PromotionJob(IReadOnlyList<string> command) => new()
    {
        // A promotion is idempotent (a second run plans nothing), so a failed pod may be retried twice.
        BackoffLimit = 2, ActiveDeadlineSeconds = PromotionDeadlineSeconds, TtlSecondsAfterFinished = 7 * 24 * 3600,
        Template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = Labels() },
            Spec = Pod($"{BuildImage}@{PlaceholderDigest}", command, Workspace, credentials: true, restartPolicy: "Never",
                [new V1EnvVar { Name = "ARTIFACTS", Value = "/tmp/artifacts" }]),
        },
    };

    private static V1PodSpec ProwPod(string image, IReadOnlyList<string> command, bool credentials) =>
        Pod(image, command, workingDir: null, credentials, restartPolicy: null, [new V1EnvVar { Name = "ARTIFACTS", Value = ProwArtifacts }]);

    private static V1PodSpec Pod(string image, IReadOnlyList<string> command, string? workingDir, bool credentials, string? restartPolicy,
        IReadOnlyList<V1EnvVar> environment)
    {
        var env = environment.ToList();
        if (credentials) env.Add(new V1EnvVar { Name = "DOCKER_CONFIG", Value = DockerConfigFolder });
        return new V1PodSpec
        {
            ServiceAccountName = ServiceAccount,
            RestartPolicy = restartPolicy,
            Containers =
            [
                new V1Container
                {
                    Name = "build", Image = image, Command = command.ToList(), WorkingDir = workingDir, Env = env,
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2"), ["memory"] = new("4Gi") },
                        Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("8Gi") },
                    },
                    VolumeMounts = credentials ? [new V1VolumeMount { MountPath = DockerConfigFolder, Name = "registry-credentials", ReadOnlyProperty = true }] : null,
                },
            ],
            Volumes = credentials
                ? [new V1Volume { Name = "registry-credentials", Secret = new V1SecretVolumeSource { SecretName = CredentialsSecret, DefaultMode = 256 /* 0400 */ } }]
                : null,
        };
    }

    private static V1ObjectMeta Meta(string name) => new() { Name = name, Labels = Labels() };

    private static Dictionary<string, string> Labels() => new() { ["app.kubernetes.io/name"] = "cip-promoter", ["app.kubernetes.io/part-of"] = "cip" };
}
