using Build.Host;
using Build.Settings;
using Build.Flows;

namespace Build.Tasks;

/// <summary>Decides the release gate once in <see cref="ShouldRun"/> and hands that decision to <see cref="ReleaseFlow"/>, which acts on it.</summary>
[TaskName(TaskNames.PromoteRelease)]
[TaskDescription("Releases when VERSION changed: builds the release images, pushes them to staging, promotes them to production and tags the commit (--confirm acts; a dry run otherwise).")]
public sealed class PromoteReleaseTask : FrostingTask<BuildContext>
{
    /// <summary>The task name (also checked against the run's targets).</summary>
    public const string Name = TaskNames.PromoteRelease;

    private ReleaseGate? _gate;

    /// <summary>
    /// The release gates. A closed gate skips the task - except when it is the run's target: Cake refuses to skip a
    /// target ("Could not reach target ... skipped due to a criteria", a failed run), so then the task runs and
    /// <see cref="ReleaseFlow.Run"/> does nothing after the same skip line.
    /// </summary>
    /// <inheritdoc />
    public override bool ShouldRun(BuildContext context)
    {
        _gate = ReleaseGate.Decide(context.Settings.Release, context, context.RepositoryRoot);
        var isTarget = context.Arguments.HasArgument("target")
                       && context.Arguments.GetArguments("target").Contains(Name, StringComparer.OrdinalIgnoreCase);
        return _gate.Runs || isTarget;
    }

    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        new ReleaseFlow(context.Settings.Release, context.Engine, context.Registries, context, context.RepositoryRoot, context.Artifacts)
            .Run(_gate ?? ReleaseGate.Decide(context.Settings.Release, context, context.RepositoryRoot));
}
