using Build.Host;
using Cake.Core;

namespace Build.Tasks;

[TaskName("LoadTarballs")]
[TaskDescription("Reads and verifies the golden archives (oci engine) or docker-loads them (docker engine).")]
public sealed class LoadTarballsTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        throw new CakeException("LoadTarballs is not implemented yet.");
}
