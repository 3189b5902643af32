using Build.Flows;
using Build.Host;
using Build.Settings;

namespace Build.Tasks;

/// <summary>Hands <c>Settings.Jobs</c> to <see cref="JobsFlow.Render"/>; the jobs themselves are declared in <c>Kubernetes/PipelineJobs.cs</c>.</summary>
[TaskName(TaskNames.RenderJobs)]
[TaskDescription("Writes the Prow jobs and the Kubernetes CronJob/Job (kustomize base and overlays) under manifests/k8s from their typed source (--verify checks them).")]
public sealed class RenderJobsTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) => JobsFlow.Render(context.Settings.Jobs, context.Log);
}
