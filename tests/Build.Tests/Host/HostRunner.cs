using System.Reflection;
using Build.Host;
using Cake.Core;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Build.Tests.Host;

/// <summary>Runs a <see cref="CakeHost"/> in-process with its console captured.</summary>
internal static class HostRunner
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(Assembly tasks, string workingDirectory, params string[] args)
    {
        var console = new RecordingConsole();
        var ansiWriter = new StringWriter();
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(ansiWriter),
        });
        // Cake's environment changes the process's current directory to --working; put it back afterwards.
        var currentDirectory = Environment.CurrentDirectory;
        try
        {
            var exitCode = CakeHost.Create()
            .AddAssembly(tasks)
            .UseContext<BuildContext>()
            .UseLifetime<BuildLifetime>()
            .ConfigureServices(s =>
            {
                s.AddSingleton<IConsole>(console);
                s.AddSingleton<IAnsiConsole>(ansi);
            })
            .Run(args.Append("--working").Append(workingDirectory));
            return new Result(exitCode, console.Text + ansiWriter);
        }
        finally
        {
            Environment.CurrentDirectory = currentDirectory;
        }
    }
}

/// <summary>An <see cref="IConsole"/> that keeps every line (standard output and error together).</summary>
internal sealed class RecordingConsole : IConsole
{
    private readonly System.Text.StringBuilder _text = new();

    public string Text { get { lock (_text) return _text.ToString(); } }
    public ConsoleColor ForegroundColor { get; set; }
    public ConsoleColor BackgroundColor { get; set; }
    public bool SupportAnsiEscapeCodes => false;

    public void Write(string format, params object[] arg) { lock (_text) _text.AppendFormat(format, arg); }
    public void WriteLine(string format, params object[] arg) { lock (_text) _text.AppendFormat(format, arg).AppendLine(); }
    public void WriteError(string format, params object[] arg) => Write(format, arg);
    public void WriteErrorLine(string format, params object[] arg) => WriteLine(format, arg);
    public void ResetColor() { }
}
