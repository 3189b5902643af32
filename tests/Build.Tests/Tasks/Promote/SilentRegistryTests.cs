using System.Diagnostics;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.Promote;

/// <summary>
/// Fault suite, class "a registry that stops answering", through the build program: with <c>--registry-timeout</c>, Promote
/// against a registry that accepts connections and never answers fails in bounded time naming the registry and the request.
/// </summary>
public sealed class SilentRegistryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("silent-registry-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Promote_from_a_silent_registry_fails_naming_it_and_the_request()
    {
        using var silent = FaultProxy.Standalone(new FaultRule("^", FaultKind.Silence, int.MaxValue));
        var manifest = Path.Combine(_folder, "promoter-manifest.yaml");
        File.WriteAllText(manifest, $"""
            registries:
            - name: {silent.Host}/stg
              src: true
            - name: {silent.Host}/prod
            images:
            - name: app
              dmap:
                "sha256:{new string('a', 64)}": ["1.0"]
            """);
        var clock = Stopwatch.StartNew();

        var result = BuildProgram.Run("--target", "Promote", $"--manifest={manifest}", "--registry-timeout=1");

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
        result.ExitCode.Should().NotBe(0);
        result.Output.Should().MatchRegex($@"check manifest {silent.Host}/(stg|prod)/app[:@][^:]+(:[0-9a-f]+)?: registry {silent.Host} sent nothing for 1 s \(read timeout\)");
    }

    [Fact]
    public void A_snapshot_of_a_silent_registry_fails_naming_it()
    {
        using var silent = FaultProxy.Standalone(new FaultRule("^", FaultKind.Silence, int.MaxValue));

        var result = BuildProgram.Run("--target", "Promote", $"--snapshot={silent.Host}/prod", "--registry-timeout=1");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain($"registry {silent.Host} sent nothing for 1 s (read timeout)");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3601")]
    [InlineData("soon")]
    public void A_timeout_outside_1_to_3600_seconds_is_refused_naming_the_setting(string value)
    {
        var result = BuildProgram.Run("--target", "Promote", $"--snapshot=127.0.0.1:1/x", $"--registry-timeout={value}");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("registry-timeout");
    }
}
