using Build.Flows;
using Build.Host;
using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Build;

/// <summary>Run-wide setup and teardown: logs the run's shape, provisions the tools the run's tasks need (Test, E2E:
/// <see cref="Provisioning"/>), and releases what tasks started (registries).</summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    /// <inheritdoc />
    public override void Setup(BuildContext context, ISetupContext info)
    {
        context.Log.Verbose("Repository root: {0}", context.RepositoryRoot.FullPath);
        context.Log.Verbose("Tasks to run: {0}", string.Join(", ", info.TasksToExecute.Select(t => t.Name)));
        // Before any task (a missing tool fails the run at once, not after Compile).
        var tasks = info.TasksToExecute.Select(t => t.Name).ToList();
        var e2e = tasks.Contains("E2E", StringComparer.OrdinalIgnoreCase);
        var engine = e2e ? context.Settings.EngineKind : ImageEngineKind.Oci;
        var needs = Provisioning.Needs(tasks, engine);
        if (needs.Count > 0 && context.IsDryRun)
            context.Log.Verbose("Dry run: the tools {0} are not checked or installed", string.Join(", ", needs.Select(t => t.Tool)));
        else if (needs.Count > 0)
            Provisioning.ForThisMachine(context.Log).Ensure(needs, context.RepositoryRoot.CombineWithFilePath(".build/dockerd.log").FullPath,
                daemonRequired: e2e && engine == ImageEngineKind.Docker);
    }

    /// <inheritdoc />
    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        context.DisposeResources();
    }
}
