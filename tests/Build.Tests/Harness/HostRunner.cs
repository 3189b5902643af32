using System.Reflection;
using Build.Host;
using Cake.Core;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Build.Tests.Harness;

/// <summary>Runs a <see cref="CakeHost"/> in-process with its console captured.</summary>
internal static class HostRunner
{
    public sealed record Result(int ExitCode, string Output);

    /// <summary>The build program's host (BuildContext, BuildLifetime) with the tasks of <paramref name="tasks"/>.</summary>
    public static Result Run(Assembly tasks, string workingDirectory, params string[] args) =>
        RunHost(host => host.AddAssembly(tasks).UseContext<BuildContext>().UseLifetime<BuildLifetime>(), workingDirectory, args);

    /// <summary>The test graph's host (<c>GraphContext</c>, no lifetime) with the tasks of <paramref name="tasks"/>.</summary>
    public static Result RunGraph(Assembly tasks, string workingDirectory, params string[] args) =>
        RunHost(host => host.AddAssembly(tasks).UseContext<Host.Graph.GraphContext>(), workingDirectory, args);

    /// <summary>
    /// A bare host (no added assembly; the test runner's entry assembly holds no tasks) that
    /// <paramref name="configure"/> sets up, e.g. with tasks registered as <c>IFrostingTask</c> services.
    /// </summary>
    public static Result RunHost(Func<CakeHost, CakeHost> configure, string workingDirectory, params string[] args)
    {
        // Cake's environment sets the process's current directory to --working. Runs in the repository root (nearly all)
        // share it: the directory stays the repository root, so they run side by side. A run elsewhere changes it for the
        // whole process, so it waits for every other run to end, and they wait for it.
        var shared = string.Equals(Path.GetFullPath(workingDirectory).TrimEnd('/'), BuildProgram.RepositoryRoot.TrimEnd('/'), StringComparison.Ordinal);
        if (shared) WorkingDirectory.EnterReadLock();
        else WorkingDirectory.EnterWriteLock();
        try
        {
            var console = new RecordingConsole();
            var ansiWriter = new StringWriter();
            var ansi = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Out = new AnsiConsoleOutput(ansiWriter),
            });
            var exitCode = configure(CakeHost.Create())
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
            Environment.CurrentDirectory = BuildProgram.RepositoryRoot;
            if (shared) WorkingDirectory.ExitReadLock();
            else WorkingDirectory.ExitWriteLock();
        }
    }

    /// <summary>Held shared by runs in the repository root, alone by a run in another folder (see <see cref="RunHost"/>).</summary>
    private static readonly ReaderWriterLockSlim WorkingDirectory = new(LockRecursionPolicy.SupportsRecursion);

    /// <summary>The test process works in the repository root, as every in-process run of the build program leaves it.</summary>
    static HostRunner() => Environment.CurrentDirectory = BuildProgram.RepositoryRoot;
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
