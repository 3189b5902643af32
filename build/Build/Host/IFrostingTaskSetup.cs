using Cake.Core;

namespace Build.Host;

/// <summary>Runs before every task (Cake's TaskSetup).</summary>
public interface IFrostingTaskSetup
{
    /// <summary>Before each task, also before a task that is then skipped by its criterion.</summary>
    void Setup(ICakeContext context, ITaskSetupContext info);
}
