using Cake.Core.Tooling;

namespace Build.Tools.Docker;

/// <summary>Settings shared by every docker command (Cake.Docker style).</summary>
public class DockerSettings : ToolSettings
{
    /// <summary>Docker's global <c>--config</c> folder (credentials); optional.</summary>
    public string? Config { get; set; }
}
