using Cake.Core;

namespace Build.Host;

/// <summary>A per-task teardown alone, over the context type <typeparamref name="T"/>; register with <c>UseTaskTeardown</c>.</summary>
public abstract class FrostingTaskTeardown<T> : IFrostingTaskTeardown where T : ICakeContext
{
    /// <summary>After each task, also when it failed or was skipped.</summary>
    public abstract void Teardown(T context, ITaskTeardownContext info);

    void IFrostingTaskTeardown.Teardown(ICakeContext context, ITaskTeardownContext info) => Teardown((T)context, info);
}
