using Build.Kubernetes;
using FluentAssertions;
using k8s;
using k8s.Models;
using Promoter.Tests.Support;

namespace Build.Tests.Kubernetes;

/// <summary>The sharded promotion's Indexed Job: rendered by the real <c>kubectl kustomize</c> per environment, read back
/// into the typed models, it keeps the rules and runs <c>Promote --shards=N</c> in N indexed pods at once.</summary>
public sealed class ShardedJobTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sharded-job-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [ToolFact("kubectl")]
    public void Kustomize_renders_each_sharded_overlay_into_an_indexed_job_of_n_shards_that_keeps_the_rules()
    {
        PipelineJobs.Render().Write(_folder);

        foreach (var environment in PipelineJobs.Environments)
        {
            var (exitCode, output, error) = ExternalTool.Run("kubectl", "kustomize", Path.Combine(_folder, "overlays", $"{environment.Name}-sharded"));
            exitCode.Should().Be(0, error);
            var objects = KubernetesYaml.LoadAllFromString(output);

            objects.Select(o => ((IKubernetesObject<V1ObjectMeta>)o).Metadata.Name).Should()
                .BeEquivalentTo([PipelineJobs.ServiceAccount, PipelineJobs.ShardedJobName], environment.Name);
            JobRules.Violations(objects, environment.Namespace).Should().BeEmpty(environment.Name);
            var job = objects.OfType<V1Job>().Single();
            job.Spec.CompletionMode.Should().Be("Indexed");
            job.Spec.Completions.Should().Be(PipelineJobs.PromotionShards);
            job.Spec.Parallelism.Should().Be(PipelineJobs.PromotionShards, "every shard runs at once");
            job.Spec.BackoffLimit.Should().Be(2 * PipelineJobs.PromotionShards);
            var container = job.Spec.Template.Spec.Containers.Should().ContainSingle().Subject;
            container.Image.Should().Be($"{environment.Image}@{environment.Digest}");
            container.Command.Should().Equal("./build.sh", "--target", "Promote", "--manifest=manifests/release/promoter-manifest.yaml", "--confirm",
                $"--shards={PipelineJobs.PromotionShards}");
            container.Env.Should().NotContain(e => e.Name == "JOB_COMPLETION_INDEX", "Kubernetes sets it in each pod of an Indexed Job");
            job.Spec.Template.Spec.RestartPolicy.Should().Be("Never");
        }
    }

    [ToolFact("kubectl")]
    public void The_environment_overlays_do_not_start_a_sharded_promotion()
    {
        PipelineJobs.Render().Write(_folder);
        foreach (var environment in PipelineJobs.Environments)
        {
            var (exitCode, output, error) = ExternalTool.Run("kubectl", "kustomize", Path.Combine(_folder, "overlays", environment.Name));
            exitCode.Should().Be(0, error);
            KubernetesYaml.LoadAllFromString(output).OfType<V1Job>().Should().NotContain(j => j.Metadata.Name == PipelineJobs.ShardedJobName,
                "applying an environment's overlay must not start a second promotion beside the one-off Job");
        }
    }
}
