using Cake.Core;

namespace Build.Host;

/// <summary>A synchronous task over the context type <typeparamref name="T"/>.</summary>
public abstract class FrostingTask<T> : IFrostingTask where T : ICakeContext
{
    /// <summary>Logged when <see cref="ShouldRun"/> returns false.</summary>
    public virtual string SkippedMessage => string.Empty;

    /// <summary>The task's work.</summary>
    public virtual void Run(T context) { }

    /// <summary>The task's criterion (true by default).</summary>
    public virtual bool ShouldRun(T context) => true;

    /// <summary>Error handler; wired only when overridden.</summary>
    public virtual void OnError(Exception exception, T context) { }

    /// <summary>Finally handler; wired only when overridden.</summary>
    public virtual void Finally(T context) { }

    Task IFrostingTask.RunAsync(ICakeContext context) { Run((T)context); return Task.CompletedTask; }
    bool IFrostingTask.ShouldRun(ICakeContext context) => ShouldRun((T)context);
    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (T)context);
    void IFrostingTask.Finally(ICakeContext context) => Finally((T)context);
}
