namespace Build.Flows;

/// <summary>The tasks a tool is needed by (<see cref="ToolRequirement.NeededBy"/>).</summary>
[Flags]
public enum ToolUse
{
    /// <summary>The Test task (the test suites start registries, call skopeo, htpasswd, docker, a browser).</summary>
    Test = 1,

    /// <summary>The E2E task, whatever the engine.</summary>
    E2E = 2,

    /// <summary>The E2E task with <c>--engine=docker</c>.</summary>
    E2EDockerEngine = 4,
}
