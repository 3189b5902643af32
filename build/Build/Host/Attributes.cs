namespace Build.Host;

/// <summary>Names a task. Without it a task is named by its full class name (as in Cake.Frosting).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TaskNameAttribute(string name) : Attribute
{
    /// <summary>The task name, matched without regard to case when chosen as a target.</summary>
    public string Name { get; } = name;
}

/// <summary>A one-line description shown by <c>--description</c> and <c>--tree</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TaskDescriptionAttribute(string description) : Attribute
{
    /// <summary>The description text.</summary>
    public string Description { get; } = description;
}

/// <summary>The task's failure is logged and the run goes on.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ContinueOnErrorAttribute : Attribute;

/// <summary>The decorated task runs after <see cref="Task"/>; repeatable.</summary>
/// <exception cref="FrostingException">At start-up, when the type is not a task.</exception>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class IsDependentOnAttribute(Type task) : Attribute
{
    /// <summary>The task type depended on.</summary>
    public Type Task { get; } = task;
}

/// <summary>The decorated task becomes a dependency of <see cref="Task"/>; repeatable.</summary>
/// <exception cref="FrostingException">At start-up, when the type is not a task.</exception>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class IsDependeeOfAttribute(Type task) : Attribute
{
    /// <summary>The task type that will depend on the decorated one.</summary>
    public Type Task { get; } = task;
}
