using Cake.Core;

namespace Build.Host;

/// <summary>Runs after every task (Cake's TaskTeardown).</summary>
public interface IFrostingTaskTeardown
{
    /// <summary>After each task, also when it failed or was skipped.</summary>
    void Teardown(ICakeContext context, ITaskTeardownContext info);
}
