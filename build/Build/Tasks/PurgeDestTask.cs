using Build.Host;
using Cake.Core;

namespace Build.Tasks;

[TaskName("PurgeDest")]
[TaskDescription("Empties the destination registries of the e2e test file - only those, only on loopback.")]
public sealed class PurgeDestTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new CakeException("PurgeDest is not implemented yet.");
}
