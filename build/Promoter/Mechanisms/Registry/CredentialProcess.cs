using System.ComponentModel;
using System.Diagnostics;

namespace Promoter.Registry;

/// <summary>
/// Runs the small programs credentials come from (<c>docker-credential-*</c>, <c>gcloud</c>): looks the executable up on a
/// search path, writes the standard input, and waits at most a timeout, killing the process tree when it is over.
/// Nothing the process prints is logged here; callers decide what of it may appear in a message.
/// </summary>
internal static class CredentialProcess
{
    /// <summary>The exit code, standard output and standard error of one run.</summary>
    internal sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>The first file named <paramref name="name"/> in the folders of <paramref name="searchPath"/> (PATH syntax;
    /// null for the process's PATH), or null.</summary>
    internal static string? Find(string name, string? searchPath)
    {
        var dirs = (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return dirs.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>Runs <paramref name="executable"/> (a full path) with <paramref name="arguments"/>.</summary>
    /// <exception cref="Win32Exception">The file could not be started.</exception>
    /// <exception cref="TimeoutException">It did not exit within <paramref name="timeout"/> (it was killed).</exception>
    internal static async Task<Result> RunAsync(string executable, IEnumerable<string> arguments, string? input, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new Win32Exception($"could not start {executable}");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            if (input is not null) await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process exited without reading its input; its exit code tells the rest.
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"it did not exit within {timeout.TotalSeconds:0.#} s and was stopped");
        }
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>The first non-empty line of <paramref name="text"/>, at most 200 characters and without its closing full
    /// stop (for an error message, which adds its own).</summary>
    internal static string FirstLine(string text)
    {
        var line = (text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "").TrimEnd('.');
        return line.Length > 200 ? line[..200] + "..." : line;
    }
}
