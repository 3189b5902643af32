using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Composition;
using Cake.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace Build.Host;

/// <summary>Startup code that changes service registrations before the run (Cake.Frosting's <c>IFrostingStartup</c>).</summary>
public interface IFrostingStartup
{
    /// <summary>Called at once by <see cref="CakeHostExtensions.UseStartup{T}"/>.</summary>
    void Configure(IServiceCollection services);
}

/// <summary>The chainable configuration methods of <see cref="CakeHost"/>, named as in Cake.Frosting.</summary>
public static class CakeHostExtensions
{
    /// <summary>Uses <typeparamref name="T"/> as the context every task receives.</summary>
    public static CakeHost UseContext<T>(this CakeHost host) where T : class, IFrostingContext =>
        host.ConfigureServices(s => s.AddSingleton<IFrostingContext, T>());

    /// <summary>Runs <typeparamref name="T"/>'s Setup before the first task and Teardown after the last.</summary>
    public static CakeHost UseLifetime<T>(this CakeHost host) where T : class, IFrostingLifetime =>
        host.ConfigureServices(s => s.AddSingleton<IFrostingLifetime, T>());

    /// <summary>Runs <typeparamref name="T"/>'s Setup and Teardown around every task.</summary>
    public static CakeHost UseTaskLifetime<T>(this CakeHost host) where T : class, IFrostingTaskLifetime =>
        host.ConfigureServices(s => s.AddSingleton<IFrostingTaskLifetime, T>());

    /// <summary>Runs <typeparamref name="T"/>.Configure now.</summary>
    public static CakeHost UseStartup<T>(this CakeHost host) where T : IFrostingStartup, new() =>
        host.ConfigureServices(s => new T().Configure(s));

    /// <summary>Registers a Cake module.</summary>
    public static CakeHost UseModule<T>(this CakeHost host) where T : ICakeModule, new() =>
        host.ConfigureServices(s => s.UseModule<T>());

    /// <summary>Registers a package installer (used by <c>InstallTool</c>).</summary>
    public static CakeHost UsePackageInstaller<T>(this CakeHost host) where T : class, IPackageInstaller =>
        host.ConfigureServices(s => s.AddSingleton<IPackageInstaller, T>());

    /// <summary>Makes <paramref name="path"/> the working directory (relative to the current one); <c>--working</c> wins.</summary>
    public static CakeHost UseWorkingDirectory(this CakeHost host, DirectoryPath path) =>
        host.ConfigureServices(s => s.AddSingleton(new WorkingDirectorySetting(path)));

    /// <summary>Sets a Cake configuration value (e.g. <c>Settings_ShowProcessCommandLine</c>); lowest precedence.</summary>
    public static CakeHost UseCakeSetting(this CakeHost host, string key, string value) =>
        host.ConfigureServices(s => s.AddSingleton(new CakeSetting(key, value)));
}
