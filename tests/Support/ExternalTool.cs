using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Promoter.Tests.Support;

/// <summary>How <see cref="ExternalTool"/> starts a process: working folder, environment, standard input, time limit.</summary>
public sealed record ToolOptions
{
    /// <summary>The working folder (null: the test process's).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Environment variables to set; a null value removes the variable from the inherited environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Text written to standard input, which is then closed (null: standard input is not redirected).</summary>
    public string? Input { get; init; }

    /// <summary>How long the process may run before it is killed and the run fails (default 5 minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>A finished process: its command line, exit code, standard output (bytes and text) and standard error.</summary>
/// <param name="Command">The command as run, e.g. <c>skopeo inspect --raw docker://...</c>.</param>
/// <param name="ExitCode">The exit code.</param>
/// <param name="OutputBytes">Standard output, byte for byte.</param>
/// <param name="Error">Standard error.</param>
public sealed record ToolResult(string Command, int ExitCode, byte[] OutputBytes, string Error)
{
    /// <summary>Standard output as UTF-8 text.</summary>
    public string Output => Encoding.UTF8.GetString(OutputBytes);

    /// <summary>Standard output followed by standard error.</summary>
    public string Combined => Output + Error;

    /// <summary>The exit code, standard output text and standard error, e.g. <c>var (code, output, error) = ExternalTool.Run(...)</c>.</summary>
    public void Deconstruct(out int exitCode, out string output, out string error) => (exitCode, output, error) = (ExitCode, Output, Error);

    /// <summary>Returns this result when the exit code is 0.</summary>
    /// <exception cref="ExternalToolException">The exit code is not 0; the message names the command, the code and stderr.</exception>
    public ToolResult EnsureSuccess() =>
        ExitCode == 0 ? this : throw new ExternalToolException($"`{Command}` exited with code {ExitCode}. stderr:\n{Error.TrimEnd()}" +
            (Error.Length == 0 && OutputBytes.Length > 0 ? $"\nstdout:\n{Output.TrimEnd()}" : ""));
}

/// <summary>A process run by <see cref="ExternalTool"/> failed: it could not start, exited non-zero or ran out of time.</summary>
public sealed class ExternalToolException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The one way tests launch a process (the build program, skopeo, git, docker, openssl, htpasswd, kubectl ...): arguments
/// are passed as a list (no shell quoting), standard output and error are captured, and a failure names the command, its
/// exit code and its standard error.
/// </summary>
public static class ExternalTool
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> and returns its stdout bytes; fails the test when it exits non-zero.</summary>
    /// <exception cref="ExternalToolException">The tool could not start, exited non-zero or ran out of time.</exception>
    public static async Task<byte[]> RunAsync(string file, params string[] args) =>
        (await RunAsync(file, args, options: null)).EnsureSuccess().OutputBytes;

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> to its end and returns the result, whatever its exit code.</summary>
    /// <exception cref="ExternalToolException">The tool could not start or ran out of time.</exception>
    public static Task<ToolResult> RunAsync(string file, IEnumerable<string> args, ToolOptions? options) =>
        Start(file, args, options).WaitAsync();

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> to its end and returns the result, whatever its exit code.</summary>
    /// <exception cref="ExternalToolException">The tool could not start or ran out of time.</exception>
    public static ToolResult Run(string file, IEnumerable<string> args, ToolOptions? options = null) =>
        RunAsync(file, args, options).GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> and returns the result, whatever its exit code.</summary>
    /// <exception cref="ExternalToolException">The tool could not start or ran out of time.</exception>
    public static ToolResult Run(string file, params string[] args) => Run(file, args, options: null);

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> and returns its standard output text.</summary>
    /// <exception cref="ExternalToolException">The tool could not start, exited non-zero or ran out of time.</exception>
    public static string Check(string file, params string[] args) => Run(file, args, options: null).EnsureSuccess().Output;

    /// <summary>
    /// Starts <paramref name="file"/> with <paramref name="args"/> and returns at once, for a test that acts while the
    /// process runs (kills it, signals it, waits for a line of its output).
    /// </summary>
    /// <exception cref="ExternalToolException">The tool could not start (not installed).</exception>
    public static RunningTool Start(string file, IEnumerable<string> args, ToolOptions? options = null)
    {
        options ??= new ToolOptions();
        var arguments = args.ToList();
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = options.Input is not null,
            UseShellExecute = false,
        };
        if (options.WorkingDirectory is not null) start.WorkingDirectory = options.WorkingDirectory;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in options.Environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        var command = string.Join(' ', arguments.Prepend(file).Select(Quote));
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ExternalToolException($"`{command}` could not be started.");
        }
        catch (Win32Exception e)
        {
            throw new ExternalToolException($"`{command}` could not be started ({e.Message}): is {file} installed?", e);
        }
        return new RunningTool(process, command, options);
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? argument : "'" + argument.Replace("'", "'\\''") + "'";
}

/// <summary>A process started by <see cref="ExternalTool.Start"/>; its output is captured while it runs.</summary>
public sealed class RunningTool : IDisposable
{
    private readonly Process _process;
    private readonly ToolOptions _options;
    private readonly MemoryStream _output = new();
    private readonly Task _outputCopy;
    private readonly Task<string> _error;

    internal RunningTool(Process process, string command, ToolOptions options)
    {
        _process = process;
        _options = options;
        Command = command;
        _outputCopy = CopyOutputAsync();
        _error = process.StandardError.ReadToEndAsync();
        if (options.Input is not null)
        {
            process.StandardInput.Write(options.Input);
            process.StandardInput.Close();
        }
    }

    /// <summary>The command as started.</summary>
    public string Command { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Standard output so far, as UTF-8 text.</summary>
    public string OutputSoFar
    {
        get { lock (_output) return Encoding.UTF8.GetString(_output.GetBuffer(), 0, (int)_output.Length); }
    }

    /// <summary>Kills the process and its children with SIGKILL (no cleanup, as a crash); nothing when it has ended.</summary>
    public void Kill()
    {
        try { _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { } // already gone
    }

    /// <summary>Waits until standard output so far satisfies <paramref name="condition"/>; false when the process ends or <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitForOutputAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (condition(OutputSoFar)) return true;
            if (_process.HasExited)
            {
                await _outputCopy;
                return condition(OutputSoFar);
            }
            await Task.Delay(20);
        }
        return false;
    }

    /// <summary>Waits for the end of the process (within <see cref="ToolOptions.Timeout"/> or <paramref name="timeout"/>) and returns its result.</summary>
    /// <exception cref="ExternalToolException">The time ran out; the process is killed and the message holds its output so far.</exception>
    public async Task<ToolResult> WaitAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? _options.Timeout;
        using (var cancel = new CancellationTokenSource(limit))
        {
            try
            {
                await _process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
                await _process.WaitForExitAsync();
                await _outputCopy;
                throw new ExternalToolException(
                    $"`{Command}` did not end within {limit.TotalSeconds:0} s and was killed. stdout:\n{OutputSoFar.TrimEnd()}\nstderr:\n{(await _error).TrimEnd()}");
            }
        }
        await _outputCopy;
        byte[] bytes;
        lock (_output) bytes = _output.ToArray();
        return new ToolResult(Command, _process.ExitCode, bytes, await _error);
    }

    /// <summary>Waits for the end of the process and returns its result, as <see cref="WaitAsync"/>.</summary>
    /// <exception cref="ExternalToolException">The time ran out.</exception>
    public ToolResult Wait(TimeSpan? timeout = null) => WaitAsync(timeout).GetAwaiter().GetResult();

    /// <summary>Kills the process when it still runs and releases it.</summary>
    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    private async Task CopyOutputAsync()
    {
        var buffer = new byte[16 * 1024];
        var stream = _process.StandardOutput.BaseStream;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
            lock (_output) _output.Write(buffer, 0, read);
    }
}
