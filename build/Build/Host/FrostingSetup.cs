using Cake.Core;

namespace Build.Host;

/// <summary>A run-wide setup alone, over the context type <typeparamref name="T"/>; register with <c>UseSetup</c>.</summary>
public abstract class FrostingSetup<T> : IFrostingSetup where T : ICakeContext
{
    /// <summary>Before the first task. Throwing stops the run before any task; teardowns still run.</summary>
    public abstract void Setup(T context, ISetupContext info);

    void IFrostingSetup.Setup(ICakeContext context, ISetupContext info) => Setup((T)context, info);
}
