using Cake.Cli;
using Cake.Cli.Infrastructure;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Scripting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Build.Host;

/// <summary>
/// The only command: builds the service provider, registers the tasks with Cake's engine and hands the
/// targets to one of Cake.Cli's script hosts (build, dry run, tree or description).
/// </summary>
internal sealed class DefaultCommand(HostSetup setup) : Command<DefaultCommandSettings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, DefaultCommandSettings settings, CancellationToken cancellationToken)
    {
        var targets = settings.Targets.Length == 0 ? ["Default"] : settings.Targets;
        var arguments = commandContext.Remaining.ToCakeArguments(targets, null);

        IServiceCollection services = new ServiceCollection();
        foreach (var descriptor in setup.Services) services.Add(descriptor);
        services.AddSingleton(setup);
        services.AddSingleton<ICakeArguments>(arguments);
        services.AddSingleton<ICakeConfiguration>(provider => CreateConfiguration(provider, arguments));
        foreach (var type in TaskRegistrar.FindTasks(setup.Assemblies)) services.AddSingleton(type);

        using var provider = services.BuildServiceProvider();
        var log = provider.GetRequiredService<ICakeLog>();
        try
        {
            if (settings.Version || settings.Info)
            {
                var version = typeof(DefaultCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
                var engine = typeof(ICakeContext).Assembly.GetName().Version?.ToString(3);
                provider.GetRequiredService<IConsole>().WriteLine(
                    settings.Info ? $"Build program {version} on Cake.Core {engine}" : version);
                return 0;
            }

            log.Verbosity = settings.Verbosity;
            SetWorkingDirectory(provider, settings.WorkingDirectory);
            return RunTargets(provider, settings, targets);
        }
        catch (Exception exception)
        {
            return ExceptionLogger.LogException(log, exception);
        }
    }

    private static void SetWorkingDirectory(IServiceProvider provider, DirectoryPath? fromCommandLine)
    {
        var environment = provider.GetRequiredService<ICakeEnvironment>();
        var fileSystem = provider.GetRequiredService<IFileSystem>();
        var chosen = fromCommandLine ?? provider.GetService<WorkingDirectorySetting>()?.Path;
        if (chosen is null) return;
        var path = chosen.MakeAbsolute(environment);
        if (!fileSystem.Exist(path))
            throw new CakeException($"The working directory '{path.FullPath}' does not exist.");
        environment.WorkingDirectory = path;
    }

    private static ICakeConfiguration CreateConfiguration(IServiceProvider provider, ICakeArguments arguments)
    {
        var environment = provider.GetRequiredService<ICakeEnvironment>();
        var configurationProvider = new CakeConfigurationProvider(
            provider.GetRequiredService<IFileSystem>(), environment);
        var baseSettings = provider.GetServices<CakeSetting>()
            .Select(s => new KeyValuePair<string, string>(s.Key, s.Value));
        var overrides = arguments.GetArguments()
            .Where(a => a.Value.Count > 0)
            .ToDictionary(a => a.Key, a => a.Value.Last() ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        return configurationProvider.CreateConfiguration(environment.WorkingDirectory, baseSettings, overrides);
    }

    private static int RunTargets(IServiceProvider provider, DefaultCommandSettings settings, string[] targets)
    {
        var engine = provider.GetRequiredService<ICakeEngine>();
        var log = provider.GetRequiredService<ICakeLog>();
        var context = provider.GetRequiredService<IFrostingContext>();

        foreach (var type in TaskRegistrar.FindTasks(provider.GetRequiredService<HostSetup>().Assemblies))
            TaskRegistrar.Register(engine, (IFrostingTask)provider.GetRequiredService(type), context, log);

        if (provider.GetService<IFrostingLifetime>() is { } lifetime)
        {
            engine.RegisterSetupAction(info => lifetime.Setup(context, info));
            engine.RegisterTeardownAction(info => lifetime.Teardown(context, info));
        }
        if (provider.GetService<IFrostingTaskLifetime>() is { } taskLifetime)
        {
            engine.RegisterTaskSetupAction(info => taskLifetime.Setup(context, info));
            engine.RegisterTaskTeardownAction(info => taskLifetime.Teardown(context, info));
        }

        if (!settings.Tree && !settings.Description) CheckTargets(engine, targets);

        ScriptHost host =
            settings.DryRun ? new DryRunScriptHost<IFrostingContext>(engine, context, log)
            : settings.Tree ? new TreeScriptHost(engine, context, provider.GetRequiredService<IConsole>())
            : settings.Description ? new DescriptionScriptHost(engine, context, provider.GetRequiredService<IAnsiConsole>())
            : new BuildScriptHost<IFrostingContext>(engine, provider.GetRequiredService<IExecutionStrategy>(), context,
                provider.GetRequiredService<ICakeReportPrinter>(), provider.GetRequiredService<ICakeConfiguration>(), log);

        if (settings.Exclusive) host.Settings.UseExclusiveTarget();
        host.RunTargets(targets);
        return 0;
    }

    /// <exception cref="CakeException">A target names no registered task; the message lists the known ones.</exception>
    private static void CheckTargets(ICakeEngine engine, IEnumerable<string> targets)
    {
        var known = engine.Tasks.Select(t => t.Name).ToList();
        var unknown = targets.Where(t => !known.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count == 0) return;
        throw new CakeException(
            $"Unknown target '{string.Join("', '", unknown)}'. Known targets: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
    }
}
