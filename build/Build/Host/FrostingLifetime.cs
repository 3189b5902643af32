using Cake.Core;

namespace Build.Host;

/// <summary>Runs once before the first task and once after the last (Cake's Setup/Teardown).</summary>
public interface IFrostingLifetime
{
    /// <summary>Before the first task.</summary>
    void Setup(ICakeContext context, ISetupContext info);

    /// <summary>After the last task, also when a task failed.</summary>
    void Teardown(ICakeContext context, ITeardownContext info);
}

/// <summary>Runs around every task (Cake's TaskSetup/TaskTeardown).</summary>
public interface IFrostingTaskLifetime
{
    /// <summary>Before each task.</summary>
    void Setup(ICakeContext context, ITaskSetupContext info);

    /// <summary>After each task.</summary>
    void Teardown(ICakeContext context, ITaskTeardownContext info);
}

/// <summary>Setup and teardown for a whole run over the context type <typeparamref name="T"/>.</summary>
public abstract class FrostingLifetime<T> : IFrostingLifetime where T : ICakeContext
{
    /// <summary>Before the first task.</summary>
    public abstract void Setup(T context, ISetupContext info);

    /// <summary>After the last task, also when a task failed.</summary>
    public abstract void Teardown(T context, ITeardownContext info);

    void IFrostingLifetime.Setup(ICakeContext context, ISetupContext info) => Setup((T)context, info);
    void IFrostingLifetime.Teardown(ICakeContext context, ITeardownContext info) => Teardown((T)context, info);
}

/// <summary>Setup and teardown around each task over the context type <typeparamref name="T"/>.</summary>
public abstract class FrostingTaskLifetime<T> : IFrostingTaskLifetime where T : ICakeContext
{
    /// <summary>Before each task.</summary>
    public abstract void Setup(T context, ITaskSetupContext info);

    /// <summary>After each task.</summary>
    public abstract void Teardown(T context, ITaskTeardownContext info);

    void IFrostingTaskLifetime.Setup(ICakeContext context, ITaskSetupContext info) => Setup((T)context, info);
    void IFrostingTaskLifetime.Teardown(ICakeContext context, ITaskTeardownContext info) => Teardown((T)context, info);
}
