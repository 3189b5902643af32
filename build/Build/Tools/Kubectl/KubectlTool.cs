using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Build.Tools.Kubectl;

/// <summary>
/// Runs the <c>kubectl</c> CLI as a Cake tool: located through Cake's tool resolution (ToolPath, tools folder, PATH),
/// arguments built with <see cref="ProcessArgumentBuilder"/> (the token as a secret: <c>RenderSafe</c> shows
/// <c>[REDACTED]</c>, and only the safe rendering reaches logs and errors). Which exit codes are answers and which are
/// failures is the caller's to say (<c>kubectl diff</c> exits 1 for "differences", <c>kubectl wait</c> 1 for a timeout).
/// </summary>
public sealed class KubectlTool(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools,
    ICakeLog? log = null)
    : Tool<KubectlSettings>(fileSystem, environment, processRunner, tools)
{
    /// <inheritdoc />
    protected override string GetToolName() => "kubectl";

    /// <inheritdoc />
    protected override IEnumerable<string> GetToolExecutableNames() => ["kubectl", "kubectl.exe"];

    /// <summary>The global flags of <paramref name="settings"/>, then <paramref name="command"/>'s words, then <paramref name="arguments"/>.</summary>
    public static ProcessArgumentBuilder Arguments(string command, KubectlSettings settings, Action<ProcessArgumentBuilder> arguments)
    {
        var builder = new ProcessArgumentBuilder();
        if (!string.IsNullOrEmpty(settings.Kubeconfig)) builder.Append("--kubeconfig").AppendQuoted(settings.Kubeconfig);
        if (!string.IsNullOrEmpty(settings.Context)) builder.Append("--context").AppendQuoted(settings.Context);
        if (!string.IsNullOrEmpty(settings.Namespace)) builder.Append("--namespace").AppendQuoted(settings.Namespace);
        if (!string.IsNullOrEmpty(settings.Token)) builder.AppendSwitchQuotedSecret("--token", "=", settings.Token);
        foreach (var word in command.Split(' ')) builder.Append(word);
        arguments(builder);
        return builder;
    }

    /// <summary>
    /// Runs <c>kubectl [globals] &lt;command&gt; &lt;arguments&gt;</c> and returns its exit code and output; an exit code
    /// <paramref name="accept"/> refuses is a failure.
    /// </summary>
    /// <param name="command">The subcommand's words, e.g. <c>kustomize</c>, <c>apply</c>.</param>
    /// <param name="settings">Global flags and Cake's tool settings (its exit-code handler is replaced).</param>
    /// <param name="arguments">Appends the subcommand's arguments.</param>
    /// <param name="accept">The exit codes that are answers (default: 0 only).</param>
    /// <exception cref="CakeException">kubectl is not found, or exits with a code <paramref name="accept"/> refuses; the message
    /// names the command line (secrets redacted), the exit code and what kubectl wrote to standard error.</exception>
    public KubectlResult Run(string command, KubectlSettings settings, Action<ProcessArgumentBuilder> arguments, Func<int, bool>? accept = null)
    {
        var builder = Arguments(command, settings, arguments);
        var output = new List<string>();
        var errors = new List<string>();
        var exitCode = 0;
        settings.HandleExitCode = code => { exitCode = code; return true; };
        var processSettings = new ProcessSettings { RedirectStandardOutput = true, RedirectStandardError = true };
        Run(settings, builder, processSettings, process =>
        {
            output.AddRange(process.GetStandardOutput());
            errors.AddRange(process.GetStandardError().Where(line => !string.IsNullOrWhiteSpace(line)));
            exitCode = process.GetExitCode();
        });
        var error = string.Join("\n", errors.Select(e => e.TrimEnd()));
        if (!(accept ?? (code => code == 0))(exitCode))
            throw new CakeException(exitCode, $"kubectl {builder.RenderSafe()}: exit code {exitCode}" + (error.Length == 0 ? "." : $": {error}"));
        foreach (var line in errors) log?.Verbose("kubectl {0}: {1}", command, line.Trim());
        return new KubectlResult(exitCode, output.Count == 0 ? "" : string.Join("\n", output) + "\n", error);
    }
}
