using Build.Flows;
using Build.Host;
using Build.Settings;

namespace Build.Tasks;

/// <summary>Hands the solution, the configuration, <c>.build/test-results</c> and the artifacts folder to <see cref="TestFlow.Run"/>.</summary>
[TaskName(TaskNames.Test)]
[IsDependentOn(typeof(CompileTask))]
[TaskDescription("Runs the tests; with ARTIFACTS set (as Prow sets it) writes junit_*.xml there.")]
public sealed class TestTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        TestFlow.Run(context, context.Solution, context.Settings.Compile.Configuration, context.RepositoryRoot.Combine(".build/test-results"), context.Artifacts,
            context.Settings.TestSelection);
}
