using Cake.Core;

namespace Build.Host;

// Run-wide and per-task hooks. Each hook class is a DI singleton; the host checks at start-up that the
// context type a hook class is written for fits the run's context and throws FrostingException when not.
// Several hooks of one kind may be registered; see CakeHostExtensions for the order they run in.

/// <summary>Setup and teardown for a whole run over the context type <typeparamref name="T"/>.</summary>
/// <remarks>One instance serves both calls, so state set up in <see cref="Setup"/> is there in <see cref="Teardown"/>.</remarks>
public abstract class FrostingLifetime<T> : IFrostingLifetime where T : ICakeContext
{
    /// <summary>Before the first task.</summary>
    public abstract void Setup(T context, ISetupContext info);

    /// <summary>After the last task, also when a task failed.</summary>
    public abstract void Teardown(T context, ITeardownContext info);

    void IFrostingSetup.Setup(ICakeContext context, ISetupContext info) => Setup((T)context, info);
    void IFrostingTeardown.Teardown(ICakeContext context, ITeardownContext info) => Teardown((T)context, info);
}
