namespace Build.Host;

/// <summary>The decorated task becomes a dependency of <see cref="Task"/>; repeatable.</summary>
/// <exception cref="FrostingException">At start-up, when the type is not a task.</exception>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class IsDependeeOfAttribute(Type task) : Attribute
{
    /// <summary>The task type that will depend on the decorated one.</summary>
    public Type Task { get; } = task;
}
