using Build.Host;
using Cake.Core;

namespace Build.Tasks;

[TaskName("ContainerizeGolden")]
[TaskDescription("Rebuilds the golden image archives under images/golden from source, byte for byte (--verify checks them).")]
public sealed class ContainerizeGoldenTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new CakeException("ContainerizeGolden is not implemented yet.");
}
