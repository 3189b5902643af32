using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Build.Host;

/// <summary>What the host collected before the command line is parsed.</summary>
internal sealed record HostSetup(IServiceCollection Services, IReadOnlyList<Assembly> Assemblies);
