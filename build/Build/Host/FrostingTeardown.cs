using Cake.Core;

namespace Build.Host;

/// <summary>A run-wide teardown alone, over the context type <typeparamref name="T"/>; register with <c>UseTeardown</c>.</summary>
public abstract class FrostingTeardown<T> : IFrostingTeardown where T : ICakeContext
{
    /// <summary>After the last task, also when setup or a task failed.</summary>
    public abstract void Teardown(T context, ITeardownContext info);

    void IFrostingTeardown.Teardown(ICakeContext context, ITeardownContext info) => Teardown((T)context, info);
}
