using System.Globalization;
using Build.Flows;
using Build.Host;
using Build.Settings;

namespace Build.Tasks;

/// <summary>Hands <c>Settings.Cluster</c>, the artifacts folder (<c>.build/artifacts</c> when ARTIFACTS is unset) and a UTC timestamp for the Job's name to <see cref="ClusterPromoteFlow.Run"/>.</summary>
[TaskName(TaskNames.PromoteOnCluster)]
[TaskDescription("Applies the sharded promotion's Indexed Job (manifests/k8s/overlays/ENV-sharded) to the current kubeconfig context with kubectl, waits for it, gathers each shard's log and a JUnit file into ARTIFACTS; fails if any shard failed.")]
public sealed class PromoteOnClusterTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        ClusterPromoteFlow.Run(context.Settings.Cluster, context,
            context.Artifacts?.FullPath ?? Path.Combine(context.RepositoryRoot.FullPath, ".build", "artifacts"),
            DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
}
