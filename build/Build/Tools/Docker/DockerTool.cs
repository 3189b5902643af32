using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Build.Tools.Docker;

/// <summary>Settings shared by every docker command (Cake.Docker style).</summary>
public class DockerSettings : ToolSettings
{
    /// <summary>Docker's global <c>--config</c> folder (credentials); optional.</summary>
    public string? Config { get; set; }
}

/// <summary>
/// Runs the <c>docker</c> CLI as a Cake tool: located through Cake's tool resolution (ToolPath, tools folder, PATH),
/// arguments built with <see cref="ProcessArgumentBuilder"/>, a non-zero exit turned into a <see cref="CakeException"/>
/// naming the command.
/// </summary>
public sealed class DockerTool(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : Tool<DockerSettings>(fileSystem, environment, processRunner, tools)
{
    /// <inheritdoc />
    protected override string GetToolName() => "Docker";

    /// <inheritdoc />
    protected override IEnumerable<string> GetToolExecutableNames() => ["docker", "docker.exe"];

    /// <summary>
    /// Runs <c>docker [--config C] &lt;command&gt; &lt;arguments&gt;</c> and returns its standard output lines.
    /// </summary>
    /// <exception cref="CakeException">docker is not found, or exits non-zero (the message names the command).</exception>
    public IReadOnlyList<string> Run(string command, DockerSettings settings, Action<ProcessArgumentBuilder> arguments)
    {
        var builder = new ProcessArgumentBuilder();
        if (!string.IsNullOrEmpty(settings.Config)) builder.Append("--config").AppendQuoted(settings.Config);
        foreach (var word in command.Split(' ')) builder.Append(word);
        arguments(builder);

        var output = new List<string>();
        var processSettings = new ProcessSettings { RedirectStandardOutput = true, RedirectStandardError = false };
        try
        {
            Run(settings, builder, processSettings, process => output.AddRange(process.GetStandardOutput()));
        }
        catch (CakeException exception) when (!exception.Message.Contains("docker " + command))
        {
            throw new CakeException(exception.ExitCode, $"docker {command}: {exception.Message}", exception);
        }
        return output;
    }
}
