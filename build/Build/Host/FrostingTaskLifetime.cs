using Cake.Core;

namespace Build.Host;

/// <summary>Setup and teardown around each task over the context type <typeparamref name="T"/>.</summary>
public abstract class FrostingTaskLifetime<T> : IFrostingTaskLifetime where T : ICakeContext
{
    /// <summary>Before each task.</summary>
    public abstract void Setup(T context, ITaskSetupContext info);

    /// <summary>After each task.</summary>
    public abstract void Teardown(T context, ITaskTeardownContext info);

    void IFrostingTaskSetup.Setup(ICakeContext context, ITaskSetupContext info) => Setup((T)context, info);
    void IFrostingTaskTeardown.Teardown(ICakeContext context, ITaskTeardownContext info) => Teardown((T)context, info);
}
