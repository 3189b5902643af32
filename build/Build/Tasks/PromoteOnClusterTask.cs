using System.Globalization;
using Build.Flows;
using Build.Host;

namespace Build.Tasks;

/// <summary>The <c>PromoteOnCluster</c> task: applies the sharded promotion's Indexed Job to the current kubeconfig context (server-side), waits for it, gathers each shard's log and a JUnit file into ARTIFACTS, and fails if any shard failed.</summary>
[TaskName("PromoteOnCluster")]
[TaskDescription("Applies the sharded promotion's Indexed Job (manifests/k8s/overlays/ENV-sharded) to the current kubeconfig context with kubectl, waits for it, gathers each shard's log and a JUnit file into ARTIFACTS; fails if any shard failed.")]
public sealed class PromoteOnClusterTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        ClusterPromoteFlow.Run(context.Settings.Cluster, context,
            context.Artifacts?.FullPath ?? Path.Combine(context.RepositoryRoot.FullPath, ".build", "artifacts"),
            DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
}
