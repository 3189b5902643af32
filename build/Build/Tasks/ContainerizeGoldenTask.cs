using Build.Flows;
using Build.Host;
using Build.Settings;

namespace Build.Tasks;

/// <summary>Hands <c>Settings.Golden</c> to <see cref="GoldenFlow.Containerize"/> and adds nothing of its own.</summary>
[TaskName(TaskNames.ContainerizeGolden)]
[TaskDescription("Rebuilds the golden image archives under images/golden from source, byte for byte (--verify checks them).")]
public sealed class ContainerizeGoldenTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) => GoldenFlow.Containerize(context.Settings.Golden, context);
}
