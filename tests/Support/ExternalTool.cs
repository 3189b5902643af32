using System.Diagnostics;
using FluentAssertions;

namespace Promoter.Tests.Support;

/// <summary>Runs a command-line tool (e.g. skopeo) for a cross-check against the promoter's own results.</summary>
public static class ExternalTool
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> and returns its stdout bytes; fails the test when it exits non-zero.</summary>
    public static async Task<byte[]> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await copy;
        process.ExitCode.Should().Be(0, $"{file} {string.Join(' ', args)} failed: {await error}");
        return output.ToArray();
    }
}
