using System.Runtime.ExceptionServices;
using Cake.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Build.Host;

/// <summary>
/// Registers the hook classes (lifetimes, setups, teardowns) with Cake's engine, with the semantics described
/// in <see cref="CakeHostExtensions"/>: run-wide hooks one engine action each, per-task hooks one composite action.
/// </summary>
internal static class HookRegistrar
{
    private static readonly Type[] HookBases =
    [
        typeof(FrostingLifetime<>), typeof(FrostingTaskLifetime<>),
        typeof(FrostingSetup<>), typeof(FrostingTeardown<>),
        typeof(FrostingTaskSetup<>), typeof(FrostingTaskTeardown<>),
    ];

    /// <exception cref="FrostingException">A hook class is written for a context type <paramref name="context"/> is not.</exception>
    public static void Register(ICakeEngine engine, IServiceProvider provider, IFrostingContext context)
    {
        foreach (var setup in Resolve<IFrostingSetup>(provider, context))
            engine.RegisterSetupAction(info => setup.Setup(context, info));
        foreach (var teardown in Resolve<IFrostingTeardown>(provider, context))
            engine.RegisterTeardownAction(info => teardown.Teardown(context, info));

        var taskSetups = Resolve<IFrostingTaskSetup>(provider, context);
        if (taskSetups.Count > 0)
            engine.RegisterTaskSetupAction(info =>
            {
                foreach (var setup in taskSetups) setup.Setup(context, info);
            });

        var taskTeardowns = Resolve<IFrostingTaskTeardown>(provider, context);
        if (taskTeardowns.Count > 0)
            engine.RegisterTaskTeardownAction(info => RunAll(taskTeardowns, teardown => teardown.Teardown(context, info)));
    }

    /// <summary>The distinct instances registered as <typeparamref name="THook"/>, in registration order.</summary>
    private static List<THook> Resolve<THook>(IServiceProvider provider, IFrostingContext context) where THook : class
    {
        var hooks = provider.GetServices<THook>().Distinct(ReferenceEqualityComparer.Instance).Cast<THook>().ToList();
        foreach (var hook in hooks)
        {
            var type = hook.GetType();
            var contextType = TaskRegistrar.ContextTypeOf(type, HookBases);
            if (!contextType.IsInstanceOfType(context))
                throw new FrostingException(
                    $"The {typeof(THook).Name.Substring(1)} '{type.FullName}' is for context {contextType.Name}, " +
                    $"but the run's context is {context.GetType().Name}; register a context of that type with UseContext.");
        }
        return hooks;
    }

    /// <summary>Calls <paramref name="action"/> on every hook; rethrows the one error, or all of them together.</summary>
    private static void RunAll<THook>(IEnumerable<THook> hooks, Action<THook> action)
    {
        var errors = new List<Exception>();
        foreach (var hook in hooks)
        {
            try { action(hook); }
            catch (Exception exception) { errors.Add(exception); }
        }
        if (errors.Count == 1) ExceptionDispatchInfo.Capture(errors[0]).Throw();
        if (errors.Count > 1) throw new AggregateException("Several task teardowns failed.", errors);
    }
}
