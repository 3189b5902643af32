using Build.Host;
using Cake.Core;

namespace Build.Tasks;

[TaskName("PromoteRelease")]
[TaskDescription("Releases when VERSION changed: builds, pushes, promotes and tags.")]
public sealed class PromoteReleaseTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new CakeException("PromoteRelease is not implemented yet.");
}
