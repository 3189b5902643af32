using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Composition;
using Cake.Cli;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Build.Host;

/// <summary>The chainable configuration methods of <see cref="CakeHost"/>, named as in Cake.Frosting.</summary>
public static class CakeHostExtensions
{
    /// <summary>Uses <typeparamref name="T"/> as the context every task receives.</summary>
    public static CakeHost UseContext<T>(this CakeHost host) where T : class, IFrostingContext =>
        host.ConfigureServices(s => s.AddSingleton<IFrostingContext, T>());

    // Hooks (lifetimes, setups, teardowns). Unlike other services, hooks add up: every hook class registered
    // with any of the Use* methods below runs, in the order of its first registration. A class registered more
    // than once (say with UseLifetime and UseSetup) is one singleton and runs once per call. Cake's engine takes
    // several Setup and Teardown actions: each setup is registered with engine.RegisterSetupAction and each
    // teardown with engine.RegisterTeardownAction, so a failing setup stops the later setups and every task
    // while every teardown still runs (Cake collects teardown errors). The engine takes one TaskSetup and one
    // TaskTeardown action only, so the host registers one of each that calls the task hooks in order: a failing
    // task setup stops the later ones and fails the task; every task teardown runs and the first error (or an
    // AggregateException of several) is rethrown. A hook class written for a context type the run's context
    // is not an instance of makes the run fail at start-up with a FrostingException.

    /// <summary>
    /// Runs <typeparamref name="T"/>'s Setup before the first task and its Teardown after the last (one instance
    /// for both). Adds to earlier lifetimes and setups rather than replacing them.
    /// </summary>
    public static CakeHost UseLifetime<T>(this CakeHost host) where T : class, IFrostingLifetime =>
        host.AddHook<T>(typeof(IFrostingSetup), typeof(IFrostingTeardown));

    /// <summary>Runs <typeparamref name="T"/>'s Setup before and its Teardown after every task (one instance for both).</summary>
    public static CakeHost UseTaskLifetime<T>(this CakeHost host) where T : class, IFrostingTaskLifetime =>
        host.AddHook<T>(typeof(IFrostingTaskSetup), typeof(IFrostingTaskTeardown));

    /// <summary>Runs <typeparamref name="T"/> (e.g. a <see cref="FrostingSetup{T}"/>) once before the first task, after earlier-registered setups.</summary>
    public static CakeHost UseSetup<T>(this CakeHost host) where T : class, IFrostingSetup =>
        host.AddHook<T>(typeof(IFrostingSetup));

    /// <summary>Runs <typeparamref name="T"/> (e.g. a <see cref="FrostingTeardown{T}"/>) once after the last task, after earlier-registered teardowns.</summary>
    public static CakeHost UseTeardown<T>(this CakeHost host) where T : class, IFrostingTeardown =>
        host.AddHook<T>(typeof(IFrostingTeardown));

    /// <summary>Runs <typeparamref name="T"/> (e.g. a <see cref="FrostingTaskSetup{T}"/>) before every task, after earlier-registered task setups.</summary>
    public static CakeHost UseTaskSetup<T>(this CakeHost host) where T : class, IFrostingTaskSetup =>
        host.AddHook<T>(typeof(IFrostingTaskSetup));

    /// <summary>Runs <typeparamref name="T"/> (e.g. a <see cref="FrostingTaskTeardown{T}"/>) after every task, after earlier-registered task teardowns.</summary>
    public static CakeHost UseTaskTeardown<T>(this CakeHost host) where T : class, IFrostingTaskTeardown =>
        host.AddHook<T>(typeof(IFrostingTaskTeardown));

    private static CakeHost AddHook<T>(this CakeHost host, params Type[] roles) where T : class =>
        host.ConfigureServices(services =>
        {
            services.TryAddSingleton<T>();
            foreach (var role in roles)
                services.AddSingleton(role, provider => provider.GetRequiredService<T>());
        });

    /// <summary>Runs <typeparamref name="T"/>.Configure now.</summary>
    public static CakeHost UseStartup<T>(this CakeHost host) where T : IFrostingStartup, new() =>
        host.ConfigureServices(s => new T().Configure(s));

    /// <summary>Registers a Cake module.</summary>
    public static CakeHost UseModule<T>(this CakeHost host) where T : ICakeModule, new() =>
        host.ConfigureServices(s => s.UseModule<T>());

    /// <summary>
    /// Adds a package installer that Cake's tool installer may use (after the NuGet and dotnet-tool installers
    /// that <c>UseCakeDefaultModules</c> registers: the first installer whose <c>CanInstall</c> says yes is used).
    /// </summary>
    public static CakeHost UsePackageInstaller<T>(this CakeHost host) where T : class, IPackageInstaller =>
        host.ConfigureServices(s => s.AddSingleton<IPackageInstaller, T>());

    /// <summary>
    /// Installs a tool before the targets run, in every mode (build, dry run, tree, description; not for
    /// <c>--version</c>/<c>--info</c>), through Cake's <c>IToolInstaller</c>: the package goes to the tools
    /// directory (<see cref="SetToolPath"/>, default <c>./tools</c>) and its files are registered with the tool
    /// locator, so tool wrappers find them. Tools install in the order of the calls.
    /// </summary>
    /// <param name="host">The host being configured.</param>
    /// <param name="uri">A Cake package reference, e.g. <c>nuget:?package=GitVersion.Tool&amp;version=6.0.0</c>
    /// or <c>dotnet:?package=dotnet-format&amp;version=5.1.250801</c>.</param>
    /// <exception cref="FrostingException">The URI is not a package reference (no scheme or no <c>package</c> parameter).</exception>
    public static CakeHost InstallTool(this CakeHost host, Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var package = ParsePackage(uri);
        return host.ConfigureServices(s => s.AddSingleton(new ToolToInstall(package)));
    }

    /// <summary>
    /// Sets the tools directory (Cake setting <c>Paths_Tools</c>; a relative path is taken from the working
    /// directory). Like <see cref="UseCakeSetting"/> it has the lowest precedence: <c>CAKE_PATHS_TOOLS</c>,
    /// <c>cake.config</c>'s <c>[Paths] Tools</c> and <c>--paths_tools</c> override it.
    /// </summary>
    public static CakeHost SetToolPath(this CakeHost host, DirectoryPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return host.UseCakeSetting("Paths_Tools", path.FullPath);
    }

    /// <summary>Makes <paramref name="path"/> the working directory (relative to the current one); <c>--working</c> wins.</summary>
    public static CakeHost UseWorkingDirectory(this CakeHost host, DirectoryPath path) =>
        host.ConfigureServices(s => s.AddSingleton(new WorkingDirectorySetting(path)));

    /// <summary>
    /// Sets a Cake configuration value (e.g. <c>Settings_ShowProcessCommandLine</c>); lowest precedence. Setting
    /// the same key again replaces the earlier value.
    /// </summary>
    public static CakeHost UseCakeSetting(this CakeHost host, string key, string value) =>
        host.ConfigureServices(s => s.AddSingleton(new CakeSetting(key, value)));

    private static PackageReference ParsePackage(Uri uri)
    {
        const string expected = "expected a package reference such as 'nuget:?package=<id>&version=<version>'";
        if (!uri.IsAbsoluteUri)
            throw new FrostingException($"InstallTool: '{uri.OriginalString}' has no scheme; {expected}.");
        try
        {
            var package = new PackageReference(uri);
            if (string.IsNullOrWhiteSpace(package.Package))
                throw new FrostingException($"InstallTool: '{uri.OriginalString}' names no package; {expected}.");
            return package;
        }
        catch (ArgumentException exception)
        {
            throw new FrostingException($"InstallTool: '{uri.OriginalString}' is not valid ({exception.Message}); {expected}.");
        }
    }
}
