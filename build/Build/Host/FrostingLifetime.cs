using Cake.Core;

namespace Build.Host;

// Run-wide and per-task hooks. Each hook class is a DI singleton; the host checks at start-up that the
// context type a hook class is written for fits the run's context and throws FrostingException when not.
// Several hooks of one kind may be registered; see CakeHostExtensions for the order they run in.

/// <summary>Runs once before the first task (Cake's Setup).</summary>
public interface IFrostingSetup
{
    /// <summary>Before the first task. Throwing stops the run before any task; teardowns still run.</summary>
    void Setup(ICakeContext context, ISetupContext info);
}

/// <summary>Runs once after the last task (Cake's Teardown).</summary>
public interface IFrostingTeardown
{
    /// <summary>After the last task, also when setup or a task failed.</summary>
    void Teardown(ICakeContext context, ITeardownContext info);
}

/// <summary>Runs before every task (Cake's TaskSetup).</summary>
public interface IFrostingTaskSetup
{
    /// <summary>Before each task, also before a task that is then skipped by its criterion.</summary>
    void Setup(ICakeContext context, ITaskSetupContext info);
}

/// <summary>Runs after every task (Cake's TaskTeardown).</summary>
public interface IFrostingTaskTeardown
{
    /// <summary>After each task, also when it failed or was skipped.</summary>
    void Teardown(ICakeContext context, ITaskTeardownContext info);
}

/// <summary>Runs once before the first task and once after the last (Cake's Setup and Teardown).</summary>
public interface IFrostingLifetime : IFrostingSetup, IFrostingTeardown;

/// <summary>Runs around every task (Cake's TaskSetup and TaskTeardown).</summary>
public interface IFrostingTaskLifetime : IFrostingTaskSetup, IFrostingTaskTeardown;

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

/// <summary>A run-wide setup alone, over the context type <typeparamref name="T"/>; register with <c>UseSetup</c>.</summary>
public abstract class FrostingSetup<T> : IFrostingSetup where T : ICakeContext
{
    /// <summary>Before the first task. Throwing stops the run before any task; teardowns still run.</summary>
    public abstract void Setup(T context, ISetupContext info);

    void IFrostingSetup.Setup(ICakeContext context, ISetupContext info) => Setup((T)context, info);
}

/// <summary>A run-wide teardown alone, over the context type <typeparamref name="T"/>; register with <c>UseTeardown</c>.</summary>
public abstract class FrostingTeardown<T> : IFrostingTeardown where T : ICakeContext
{
    /// <summary>After the last task, also when setup or a task failed.</summary>
    public abstract void Teardown(T context, ITeardownContext info);

    void IFrostingTeardown.Teardown(ICakeContext context, ITeardownContext info) => Teardown((T)context, info);
}

/// <summary>A per-task setup alone, over the context type <typeparamref name="T"/>; register with <c>UseTaskSetup</c>.</summary>
public abstract class FrostingTaskSetup<T> : IFrostingTaskSetup where T : ICakeContext
{
    /// <summary>Before each task.</summary>
    public abstract void Setup(T context, ITaskSetupContext info);

    void IFrostingTaskSetup.Setup(ICakeContext context, ITaskSetupContext info) => Setup((T)context, info);
}

/// <summary>A per-task teardown alone, over the context type <typeparamref name="T"/>; register with <c>UseTaskTeardown</c>.</summary>
public abstract class FrostingTaskTeardown<T> : IFrostingTaskTeardown where T : ICakeContext
{
    /// <summary>After each task, also when it failed or was skipped.</summary>
    public abstract void Teardown(T context, ITaskTeardownContext info);

    void IFrostingTaskTeardown.Teardown(ICakeContext context, ITaskTeardownContext info) => Teardown((T)context, info);
}
