namespace Build.Host;

/// <summary>The decorated task runs after <see cref="Task"/>; repeatable.</summary>
/// <exception cref="FrostingException">At start-up, when the type is not a task.</exception>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class IsDependentOnAttribute(Type task) : Attribute
{
    /// <summary>The task type depended on.</summary>
    public Type Task { get; } = task;
}
