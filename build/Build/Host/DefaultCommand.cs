using System.Reflection;
using Cake.Cli;
using Cake.Cli.Infrastructure;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Scripting;
using Cake.Core.Tooling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        // Scanned task classes come first; tasks registered as IFrostingTask through ConfigureServices also run.
        foreach (var type in TaskRegistrar.FindTasks(setup.Assemblies)) services.AddSingleton(typeof(IFrostingTask), type);
        foreach (var descriptor in setup.Services) services.Add(descriptor);
        DeferToolInstaller(services);
        services.AddSingleton(setup);
        services.AddSingleton<ICakeArguments>(arguments);
        services.AddSingleton<ICakeConfiguration>(provider => CreateConfiguration(provider, arguments));

        using var provider = services.BuildServiceProvider();
        var log = provider.GetRequiredService<ICakeLog>();
        try
        {
            if (settings.Version || settings.Info)
            {
                var version = ProgramVersion();
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

    /// <summary>
    /// The program's version: the repository's <c>VERSION</c> file, which Directory.Build.props makes every assembly's
    /// version at build time (the informational version keeps a pre-release suffix such as <c>1.3.0-rc.1</c>).
    /// </summary>
    internal static string ProgramVersion()
    {
        var assembly = typeof(DefaultCommand).Assembly;
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
               ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }

    /// <summary>
    /// Cake's context takes the tool installer, and the installer takes every package installer: NuGet's reads the
    /// user's and machine's NuGet.Config files under a file lock as it is constructed, a quarter of a warm dry run's
    /// time in the program (profiled with dotnet-trace, bench/startup.sh). The installer the registrations chose is
    /// built on its first use instead, so a run that installs no tool never builds it.
    /// </summary>
    private static void DeferToolInstaller(IServiceCollection services)
    {
        var chosen = services.LastOrDefault(d => d.ServiceType == typeof(IToolInstaller) && !d.IsKeyedService);
        if (chosen is null) return;
        services.RemoveAll<IToolInstaller>();
        services.AddSingleton<IToolInstaller>(provider => new DeferredToolInstaller(() => (IToolInstaller)(
            chosen.ImplementationInstance
            ?? chosen.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, chosen.ImplementationType!))));
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

        // A class registered both ways (scanned and through ConfigureServices) is one task.
        foreach (var task in provider.GetServices<IFrostingTask>().DistinctBy(t => t.GetType()))
            TaskRegistrar.Register(engine, task, context, log);
        HookRegistrar.Register(engine, provider, context);

        if (!settings.Tree && !settings.Description) CheckTargets(engine, targets);
        if (context is FrostingContext frosting) frosting.IsDryRun = settings.DryRun;

        ScriptHost host =
            settings.DryRun ? new DryRunScriptHost<IFrostingContext>(engine, context, log)
            : settings.Tree ? new TreeScriptHost(engine, context, provider.GetRequiredService<IConsole>())
            : settings.Description ? new DescriptionScriptHost(engine, context, provider.GetRequiredService<IAnsiConsole>())
            : new BuildScriptHost<IFrostingContext>(engine, provider.GetRequiredService<IExecutionStrategy>(), context,
                provider.GetRequiredService<ICakeReportPrinter>(), provider.GetRequiredService<ICakeConfiguration>(), log);

        InstallTools(provider, log);
        if (settings.Exclusive) host.Settings.UseExclusiveTarget();
        host.RunTargets(targets);
        return 0;
    }

    /// <summary>Installs the <c>InstallTool</c> packages in order with Cake's tool installer (which registers their files).</summary>
    /// <exception cref="CakeException">No installer takes the package's scheme, or the install gave no files.</exception>
    private static void InstallTools(IServiceProvider provider, ICakeLog log)
    {
        var tools = provider.GetServices<ToolToInstall>().ToList();
        if (tools.Count == 0) return;
        var installer = provider.GetRequiredService<IToolInstaller>();
        foreach (var tool in tools)
        {
            // Cake's ToolInstaller.Install is lazy: nothing happens until its result is enumerated.
            var files = installer.Install(tool.Package).ToList();
            log.Verbose("Installed tool {0} ({1} files).", tool.Package.OriginalString, files.Count);
        }
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
