using System.Reflection;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Build.Host;

/// <summary>Finds task classes and registers each one with Cake's engine, as Cake.Frosting does.</summary>
internal static class TaskRegistrar
{
    /// <summary>The public, non-abstract <see cref="IFrostingTask"/> classes of <paramref name="assemblies"/>.</summary>
    public static IReadOnlyList<Type> FindTasks(IEnumerable<Assembly> assemblies) =>
        assemblies.SelectMany(a => a.GetExportedTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFrostingTask).IsAssignableFrom(t))
            .Distinct()
            .ToList();

    /// <summary>The task's name: its <see cref="TaskNameAttribute"/>, else its full class name.</summary>
    public static string NameOf(Type type) =>
        type.GetCustomAttribute<TaskNameAttribute>()?.Name ?? type.FullName ?? type.Name;

    /// <summary>
    /// Registers <paramref name="task"/> with <paramref name="engine"/>, wiring only the members it overrides.
    /// Tasks whose context type does not fit <paramref name="context"/> are dropped with a warning.
    /// </summary>
    /// <exception cref="FrostingException">A dependency attribute names a type that is not a task.</exception>
    public static void Register(ICakeEngine engine, IFrostingTask task, IFrostingContext context, ICakeLog log)
    {
        var type = task.GetType();
        var name = NameOf(type);
        var contextType = ContextTypeOf(type, TaskBases);
        if (!contextType.IsInstanceOfType(context))
        {
            log.Warning("Task '{0}' is for context {1}, which {2} is not; the task is left out.",
                name, contextType.Name, context.GetType().Name);
            return;
        }

        var builder = engine.RegisterTask(name);
        if (type.GetCustomAttribute<TaskDescriptionAttribute>() is { } description)
            builder.Description(description.Description);
        if (type.GetCustomAttribute<ContinueOnErrorAttribute>() is not null)
            builder.ContinueOnError();

        foreach (var dependency in type.GetCustomAttributes<IsDependentOnAttribute>())
            builder.IsDependentOn(NameOfTask(dependency.Task, type));
        foreach (var dependee in type.GetCustomAttributes<IsDependeeOfAttribute>())
            builder.IsDependeeOf(NameOfTask(dependee.Task, type));

        if (Overrides(type, "Run") || Overrides(type, "RunAsync"))
            builder.Does(() => task.RunAsync(context));
        if (Overrides(type, "ShouldRun"))
            builder.WithCriteria(() => task.ShouldRun(context), task.SkippedMessage);
        if (Overrides(type, "OnError"))
            builder.OnError(exception => task.OnError(exception, context));
        if (Overrides(type, "Finally"))
            builder.Finally(() => task.Finally(context));
    }

    private static string NameOfTask(Type dependency, Type owner)
    {
        if (!typeof(IFrostingTask).IsAssignableFrom(dependency))
            throw new FrostingException(
                $"The dependency '{dependency.Name}' of task '{NameOf(owner)}' is not a Frosting task.");
        return NameOf(dependency);
    }

    private static readonly Type[] TaskBases = [typeof(FrostingTask<>), typeof(AsyncFrostingTask<>)];

    /// <summary>
    /// The context type a task or hook class is written for: the type argument of the first of
    /// <paramref name="genericBases"/> found among its base classes, else <see cref="ICakeContext"/>.
    /// </summary>
    internal static Type ContextTypeOf(Type type, IReadOnlyCollection<Type> genericBases)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && genericBases.Contains(t.GetGenericTypeDefinition()))
                return t.GetGenericArguments()[0];
        }
        return typeof(ICakeContext);
    }

    /// <summary>True when the task class (or a base between it and the Frosting base) overrides the virtual.</summary>
    private static bool Overrides(Type type, string methodName) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == methodName)
            .Any(m => m.GetBaseDefinition().DeclaringType != m.DeclaringType);
}
