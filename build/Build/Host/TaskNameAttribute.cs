namespace Build.Host;

/// <summary>Names a task. Without it a task is named by its full class name (as in Cake.Frosting).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TaskNameAttribute(string name) : Attribute
{
    /// <summary>The task name, matched without regard to case when chosen as a target.</summary>
    public string Name { get; } = name;
}
