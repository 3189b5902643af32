using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Build.Tools.Docker;

/// <summary>
/// Runs the <c>docker</c> CLI as a Cake tool: located through Cake's tool resolution (ToolPath, tools folder, PATH),
/// arguments built with <see cref="ProcessArgumentBuilder"/>, a non-zero exit turned into a <see cref="CakeException"/>
/// naming the command line and carrying what docker wrote to standard error.
/// </summary>
public sealed class DockerTool(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools,
    ICakeLog? log = null)
    : Tool<DockerSettings>(fileSystem, environment, processRunner, tools)
{
    /// <inheritdoc />
    protected override string GetToolName() => "Docker";

    /// <inheritdoc />
    protected override IEnumerable<string> GetToolExecutableNames() => ["docker", "docker.exe"];

    /// <summary>
    /// Runs <c>docker [--config C] &lt;command&gt; &lt;arguments&gt;</c> and returns its standard output lines. What docker
    /// writes to standard error is logged (verbose) on success and put into the exception on failure.
    /// </summary>
    /// <exception cref="CakeException">docker is not found, or exits non-zero (the message names the command line and
    /// gives docker's error output).</exception>
    public IReadOnlyList<string> Run(string command, DockerSettings settings, Action<ProcessArgumentBuilder> arguments)
    {
        var builder = new ProcessArgumentBuilder();
        if (!string.IsNullOrEmpty(settings.Config)) builder.Append("--config").AppendQuoted(settings.Config);
        foreach (var word in command.Split(' ')) builder.Append(word);
        arguments(builder);

        var output = new List<string>();
        var errors = new List<string>();
        var processSettings = new ProcessSettings { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            Run(settings, builder, processSettings, process =>
            {
                output.AddRange(process.GetStandardOutput());
                errors.AddRange(process.GetStandardError().Where(line => !string.IsNullOrWhiteSpace(line)));
            });
        }
        catch (CakeException exception)
        {
            var said = errors.Count == 0 ? "" : ": " + string.Join(Environment.NewLine + "  ", errors.Select(e => e.Trim()));
            throw new CakeException(exception.ExitCode, $"docker {builder.Render()}: {exception.Message.TrimEnd('.')}{said}", exception);
        }
        foreach (var line in errors) log?.Verbose("docker {0}: {1}", command, line.Trim());
        return output;
    }
}
