using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.PromoteRelease;

/// <summary>
/// Three real CNCF Distribution processes (one staging, two production) shared by the PromoteRelease tests; each
/// test uses its own path prefixes, so tests never see each other's repositories.
/// </summary>
public sealed class ReleaseRegistries() : RegistryFixture(3)
{
    /// <summary>The staging registry.</summary>
    public TestRegistry Staging => this[0];

    /// <summary>The first production registry.</summary>
    public TestRegistry Production1 => this[1];

    /// <summary>The second production registry.</summary>
    public TestRegistry Production2 => this[2];
}

/// <summary>The PromoteRelease tests set process environment variables (JOB_TYPE, ...), so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReleaseCollection : ICollectionFixture<ReleaseRegistries>
{
    public const string Name = "PromoteRelease";
}

/// <summary>
/// Sets process environment variables for one build run and restores them afterwards. Every CI variable the range
/// resolution reads and every <c>CIP_*</c> setting is cleared first, so a test behaves the same inside a CI job.
/// </summary>
internal sealed class ScopedEnvironment : IDisposable
{
    private static readonly string[] CiVariables =
        ["JOB_TYPE", "PULL_BASE_SHA", "PULL_PULL_SHA", "PULL_REFS", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "ARTIFACTS"];

    private readonly Dictionary<string, string?> _saved = new(StringComparer.Ordinal);

    public ScopedEnvironment(params (string Name, string Value)[] variables)
    {
        var names = CiVariables.Concat(Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("CIP_", StringComparison.Ordinal)));
        foreach (var name in names.Concat(variables.Select(v => v.Name)).Distinct())
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, null);
        }
        foreach (var (name, value) in variables) Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
    }
}

/// <summary>Runs <c>skopeo</c> and returns its standard output bytes.</summary>
internal static class Skopeo
{
    public static byte[] InspectRaw(string reference) =>
        ExternalTool.Run("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + reference).EnsureSuccess().OutputBytes;
}
