using System.Reflection;
using Cake.Cli;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;

namespace Build.Host;

/// <summary>
/// The entry point of a Frosting-style build program: collects services and task assemblies, then
/// parses the command line and runs the chosen targets on Cake's <c>CakeEngine</c>.
/// </summary>
public sealed class CakeHost
{
    private readonly ServiceCollection _services = new();
    private readonly List<Assembly> _assemblies = [];

    /// <summary>A host with Cake's diagnostics and default modules and the plain <see cref="FrostingContext"/>.</summary>
    public CakeHost()
    {
        _services.AddCakeDiagnostics();
        _services.UseCakeDefaultModules();
        _services.AddSingleton<IFrostingContext, FrostingContext>();
    }

    /// <summary>Same as <c>new CakeHost()</c>.</summary>
    public static CakeHost Create() => new();

    /// <summary>Adds an assembly whose public task classes are registered (the entry assembly always is).</summary>
    public CakeHost AddAssembly(Assembly assembly)
    {
        if (!_assemblies.Contains(assembly)) _assemblies.Add(assembly);
        return this;
    }

    /// <summary>Changes the service registrations; the last registration of a type wins.</summary>
    public CakeHost ConfigureServices(Action<IServiceCollection> configure)
    {
        configure(_services);
        return this;
    }

    /// <summary>
    /// Parses <paramref name="args"/>, runs the selected targets (or dry-run/tree/description) and returns
    /// the exit code: 0 on success, the <c>CakeException.ExitCode</c> or 1 on failure.
    /// </summary>
    public int Run(IEnumerable<string> args)
    {
        var assemblies = new List<Assembly>(_assemblies);
        var entry = Assembly.GetEntryAssembly();
        if (entry is not null && !assemblies.Contains(entry)) assemblies.Insert(0, entry);

        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(HostSetup), new HostSetup(_services, assemblies));
        var app = new CommandApp<DefaultCommand>(registrar);
        app.Configure(config =>
        {
            config.SetApplicationName("build.sh");
            config.Settings.StrictParsing = false;
            config.Settings.CaseSensitivity = CaseSensitivity.None;
        });
        return app.Run(args);
    }
}
