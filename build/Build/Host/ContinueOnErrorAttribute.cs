namespace Build.Host;

/// <summary>The task's failure is logged and the run goes on.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ContinueOnErrorAttribute : Attribute;
