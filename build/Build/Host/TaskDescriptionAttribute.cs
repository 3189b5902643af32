namespace Build.Host;

/// <summary>A one-line description shown by <c>--description</c> and <c>--tree</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TaskDescriptionAttribute(string description) : Attribute
{
    /// <summary>The description text.</summary>
    public string Description { get; } = description;
}
