using Build.Flows;
using Build.Host;
using Build.Settings;

namespace Build.Tasks;

/// <summary>Hands the repository root, the Release configuration (packages are always Release builds) and <c>.build/packages</c> to <see cref="PackFlow.Run"/>.</summary>
[TaskName(TaskNames.Pack)]
[TaskDescription("Packs the library (ImagePromoter.Core) and the Cake addin (Cake.ImagePromoter) with the version in VERSION into .build/packages, a folder feed.")]
public sealed class PackTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) =>
        PackFlow.Run(context, context.RepositoryRoot, "Release", context.RepositoryRoot.Combine(".build/packages"));
}
