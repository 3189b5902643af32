using Build.Host;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Build;

/// <summary>Run-wide setup and teardown: logs the run's shape, and releases what tasks started (registries).</summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    /// <inheritdoc />
    public override void Setup(BuildContext context, ISetupContext info)
    {
        context.Log.Verbose("Repository root: {0}", context.RepositoryRoot.FullPath);
        context.Log.Verbose("Tasks to run: {0}", string.Join(", ", info.TasksToExecute.Select(t => t.Name)));
    }

    /// <inheritdoc />
    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        context.DisposeResources();
    }
}
