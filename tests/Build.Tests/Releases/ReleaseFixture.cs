using Xunit;
using System.Diagnostics;
using Promoter.Registry;

namespace Build.Tests.Releases;

/// <summary>
/// Three real CNCF Distribution processes (one staging, two production) shared by the PromoteRelease tests; each
/// test uses its own path prefixes, so tests never see each other's repositories.
/// </summary>
public sealed class ReleaseRegistries : IAsyncLifetime
{
    public LocalRegistry Staging { get; private set; } = null!;
    public LocalRegistry Production1 { get; private set; } = null!;
    public LocalRegistry Production2 { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Staging = await LocalRegistry.StartAsync();
        Production1 = await LocalRegistry.StartAsync();
        Production2 = await LocalRegistry.StartAsync();
    }

    public Task DisposeAsync()
    {
        Staging.Dispose();
        Production1.Dispose();
        Production2.Dispose();
        return Task.CompletedTask;
    }
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
    public static byte[] InspectRaw(string reference)
    {
        var start = new ProcessStartInfo("skopeo") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "inspect", "--raw", "--tls-verify=false", "docker://" + reference }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"skopeo inspect {reference} failed: {error.Result}");
        return output.ToArray();
    }
}
