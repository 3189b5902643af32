using Build.Host;
using Cake.Core;

namespace Build.Tasks;

[TaskName("PushSrc")]
[IsDependentOn(typeof(LoadTarballsTask))]
[TaskDescription("Pushes the golden set to the source registry with digests unchanged.")]
public sealed class PushSrcTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new CakeException("PushSrc is not implemented yet.");
}
