using Build.Kubernetes;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Tests.Support;
using Xunit;
using k8s;
using k8s.Models;

namespace Build.Tests.Tasks.RenderJobs;

/// <summary>RenderJobs: the committed manifests equal the code's, kustomize renders each overlay, and what it renders,
/// read back into the typed models, keeps the project's rules.</summary>
public sealed class RenderJobsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("render-jobs-").FullName;

    [Fact]
    public void Verify_passes_on_the_committed_manifests()
    {
        var result = BuildProgram.Run("--target", "RenderJobs", "--verify");

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain($"jobs verified: {PipelineJobs.Render().Files.Count} files in {Path.Combine(BuildProgram.RepositoryRoot, "manifests", "k8s")}");
    }

    [Fact]
    public void Verify_fails_on_a_hand_edited_a_missing_and_an_extra_file_and_a_render_repairs_them()
    {
        BuildProgram.Run("--target", "RenderJobs", $"--k8s-dir={_folder}").ExitCode.Should().Be(0);
        BuildProgram.Run("--target", "RenderJobs", "--verify", $"--k8s-dir={_folder}").ExitCode.Should().Be(0);
        var job = Path.Combine(_folder, "base", "promote-job.yaml");
        File.WriteAllText(job, File.ReadAllText(job).Replace("backoffLimit: 2", "backoffLimit: 9"));
        File.Delete(Path.Combine(_folder, "overlays", "staging", "kustomization.yaml"));
        File.WriteAllText(Path.Combine(_folder, "base", "secret.yaml"), "kind: Secret\n");

        var edited = BuildProgram.Run("--target", "RenderJobs", "--verify", $"--k8s-dir={_folder}");

        edited.ExitCode.Should().NotBe(0);
        edited.Output.Should().Contain("(3 difference(s))")
            .And.Contain("base/promote-job.yaml: differs at line").And.Contain("committed '  backoffLimit: 9', generated '  backoffLimit: 2'")
            .And.Contain("overlays/staging/kustomization.yaml: missing")
            .And.Contain("base/secret.yaml: not generated (extra file)")
            .And.Contain("Run RenderJobs without --verify");
        BuildProgram.Run("--target", "RenderJobs", $"--k8s-dir={_folder}").Output.Should().Contain("deleted");
        BuildProgram.Run("--target", "RenderJobs", "--verify", $"--k8s-dir={_folder}").ExitCode.Should().Be(0);
    }

    [ToolFact("kubectl")]
    public void Kustomize_renders_every_overlay_into_objects_that_keep_the_rules()
    {
        PipelineJobs.Render().Write(_folder);

        foreach (var environment in PipelineJobs.Environments)
        {
            var (exitCode, output, error) = ExternalTool.Run("kubectl", "kustomize", Path.Combine(_folder, "overlays", environment.Name));
            exitCode.Should().Be(0, error);
            var objects = KubernetesYaml.LoadAllFromString(output);

            objects.Select(o => ((IKubernetesObject<V1ObjectMeta>)o).Metadata.Name).Should()
                .BeEquivalentTo(["cip-promoter", "cip-promote-scheduled", "cip-promote-once"], environment.Name);
            JobRules.Violations(objects, environment.Namespace).Should().BeEmpty(environment.Name);
            var pods = objects.OfType<V1Job>().Select(j => j.Spec.Template.Spec)
                .Concat(objects.OfType<V1CronJob>().Select(c => c.Spec.JobTemplate.Spec.Template.Spec)).ToList();
            pods.Should().HaveCount(2);
            foreach (var pod in pods)
            {
                pod.Containers.Should().ContainSingle().Which.Image.Should().Be($"{environment.Image}@{environment.Digest}", "the overlay pins its image");
                pod.Containers[0].Command.Should().Equal(PipelineJobs.PromoteCommand);
                pod.Containers[0].Env.Select(e => (e.Name, e.Value)).Should().Equal(("ARTIFACTS", "/tmp/artifacts"), ("DOCKER_CONFIG", PipelineJobs.DockerConfigFolder));
                pod.Containers[0].Resources.Requests["cpu"].ToString().Should().Be("2");
                pod.Volumes.Should().ContainSingle().Which.Secret.SecretName.Should().Be(PipelineJobs.CredentialsSecret);
            }
            objects.OfType<V1CronJob>().Single().Spec.Schedule.Should().Be(PipelineJobs.PromotionSchedule);
        }
    }

    [ToolFact("kubectl")]
    public void Kustomize_of_the_base_keeps_the_placeholder_digest_that_no_overlay_ships()
    {
        var (exitCode, output, error) = ExternalTool.Run("kubectl", "kustomize", Path.Combine(BuildProgram.RepositoryRoot, "manifests", "k8s", "base"));

        exitCode.Should().Be(0, error);
        var images = KubernetesYaml.LoadAllFromString(output).OfType<V1Job>().Select(j => j.Spec.Template.Spec.Containers[0].Image);
        images.Should().Equal($"{PipelineJobs.BuildImage}@{PipelineJobs.PlaceholderDigest}");
        PipelineJobs.Environments.Should().OnlyContain(e => e.Digest != PipelineJobs.PlaceholderDigest);
    }

    [Fact]
    public void The_committed_prow_config_reads_back_with_the_ci_commands_decoration_and_artifacts()
    {
        var config = KubernetesYamlText.ReadProw(File.ReadAllText(Path.Combine(BuildProgram.RepositoryRoot, "manifests", "k8s", "prow", "jobs.yaml")));

        JobRules.ProwViolations(config).Should().BeEmpty();
        var presubmits = config.Presubmits!.Should().ContainKey("kubernetes-sigs/promo-tools").WhoseValue;
        presubmits.Select(j => string.Join(' ', j.Spec!.Containers[0].Command)).Should().Equal(
            "./build.sh --target Test", "./build.sh --target ContainerizeGolden --verify", "./build.sh --target E2E",
            string.Join(' ', PipelineJobs.ManifestsPresubmitCommand));
        presubmits.Should().OnlyContain(j => j.Spec!.Volumes == null, "presubmits need no registry credentials");
        presubmits.SkipLast(1).Should().OnlyContain(j => j.AlwaysRun == true);
        presubmits[^1].Should().Match<ProwJob>(j => j.Name == "cip-pull-manifests-immutable" && j.AlwaysRun == false
            && j.RunIfChanged == "^manifests/(production|snapshots)/", "the offline check runs on changes to the manifests or snapshots");
        config.Postsubmits!["kubernetes-sigs/promo-tools"].Single().Spec!.Containers[0].Command.Should().StartWith(
            ["./build.sh", "--target", "PromoteRelease", "--confirm"]);
        config.Periodics!.Select(j => j.Name).Should().Equal("cip-ci-promote", "cip-ci-audit");
        var periodic = config.Periodics![0];
        periodic.Cron.Should().Be(PipelineJobs.PromotionSchedule);
        periodic.ExtraRefs.Should().ContainSingle();
        var audit = config.Periodics![1];
        audit.Cron.Should().Be(PipelineJobs.AuditSchedule);
        audit.Spec!.Containers[0].Command.Should().Equal([.. PipelineJobs.PromoteCommand, "--verify-destination"],
            "the daily audit checks everything already promoted");
        foreach (var job in presubmits.Append(periodic).Append(audit))
            job.Spec!.Containers[0].Env.Should().ContainSingle(e => e.Name == "ARTIFACTS" && e.Value == "/logs/artifacts");
    }

    [Fact]
    public void The_rules_catch_a_tag_an_inlined_secret_a_missing_deadline_and_a_restart_policy()
    {
        var job = PipelineJobs.OneOffPromotion();
        job.Spec.ActiveDeadlineSeconds = null;
        job.Spec.Template.Spec.RestartPolicy = "Always";
        job.Spec.Template.Spec.Containers[0].Image = "gcr.io/x/cip-build:latest";
        job.Spec.Template.Spec.Containers[0].Env.Add(new V1EnvVar { Name = "REGISTRY_PASSWORD", Value = "hunter2" });
        job.Spec.Template.Spec.Containers[0].Env.Add(new V1EnvVar
        {
            Name = "CONFIG", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "s", Key = "k" } },
        });
        job.Spec.Template.Spec.Containers[0].Resources.Requests.Remove("memory");
        var secret = new V1Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new V1ObjectMeta { Name = "cip-creds" } };

        var violations = JobRules.Violations([job, secret, PipelineJobs.Account()], null);

        violations.Should().BeEquivalentTo(
            "Job/cip-promote-once: no activeDeadlineSeconds",
            "Job/cip-promote-once: restartPolicy is 'Always', must be Never or OnFailure",
            "Job/cip-promote-once container build: image 'gcr.io/x/cip-build:latest' is not pinned by digest (NAME@sha256:<64 hex>)",
            "Job/cip-promote-once container build: no memory request",
            "Job/cip-promote-once container build: env REGISTRY_PASSWORD holds a value that looks like a credential",
            "Job/cip-promote-once container build: env CONFIG reads a secret (mount it as a file and name the secret only)",
            "Secret/cip-creds: kind Secret is not allowed (only ServiceAccount, Job, CronJob)");
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}
