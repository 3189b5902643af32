using Cake.Core;

namespace Build.Host;

/// <summary>Runs once after the last task (Cake's Teardown).</summary>
public interface IFrostingTeardown
{
    /// <summary>After the last task, also when setup or a task failed.</summary>
    void Teardown(ICakeContext context, ITeardownContext info);
}
