using Cake.Core;

namespace Build.Host;

/// <summary>A per-task setup alone, over the context type <typeparamref name="T"/>; register with <c>UseTaskSetup</c>.</summary>
public abstract class FrostingTaskSetup<T> : IFrostingTaskSetup where T : ICakeContext
{
    /// <summary>Before each task.</summary>
    public abstract void Setup(T context, ITaskSetupContext info);

    void IFrostingTaskSetup.Setup(ICakeContext context, ITaskSetupContext info) => Setup((T)context, info);
}
