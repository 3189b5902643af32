using Microsoft.Extensions.DependencyInjection;

namespace Build.Host;

/// <summary>Startup code that changes service registrations before the run (Cake.Frosting's <c>IFrostingStartup</c>).</summary>
public interface IFrostingStartup
{
    /// <summary>Called at once by <see cref="CakeHostExtensions.UseStartup{T}"/>.</summary>
    void Configure(IServiceCollection services);
}
