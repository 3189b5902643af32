using Build.Flows;
using Build.Host;
using Build.Settings;

namespace Build.Tasks;

/// <summary>Hands <c>Settings.PullRequest</c>, the run's registry pool and the token of the variable it names to <see cref="PromotionPRFlow.Run"/>.</summary>
[TaskName(TaskNames.PromotionPR)]
[TaskDescription("kpromo pr: adds staging tags (--project, --tag, --image) to k8s.io's images.yaml in a local clone (--k8s-io-repo); --confirm commits, pushes to --fork and opens the pull request.")]
public sealed class PromotionPRTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context)
    {
        var settings = context.Settings.PullRequest;
        PromotionPRFlow.Run(settings, context.Registries.Pool, context.Log, context.Environment.GetEnvironmentVariable(settings.TokenVariable));
    }
}
