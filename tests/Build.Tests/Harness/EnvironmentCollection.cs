using Xunit;

namespace Build.Tests.Harness;

/// <summary>
/// The classes that set process environment variables (ARTIFACTS, DOCKER_CONFIG, PATH, CIP_*, a token): they run one at a
/// time after the parallel classes, so no other test's run or child process sees their values.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "process environment variables";
}
