using System.Collections.Concurrent;
using Xunit;
using Xunit.Sdk;

namespace Promoter.Tests.Support;

/// <summary>
/// Files that are not regular files, for the bad-input suites: FIFOs (made with the <c>mkfifo</c> command), the
/// <c>/dev/zero</c> device, folders and symbolic links; and a guard that turns a read blocked on a FIFO into a test failure
/// instead of a hung test run.
/// </summary>
public static class SpecialFiles
{
    private static readonly ConcurrentDictionary<string, bool> Fifos = new();

    /// <summary>The kinds of non-regular input the suites try, as theory data.</summary>
    public static readonly TheoryData<string> Kinds = new() { "fifo", "device", "directory", "link-to-fifo" };

    /// <summary>How long a refusal may take before it counts as a hang (generous: the test machines are shared).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>Creates a FIFO at <paramref name="path"/> (folders created) and returns the path.</summary>
    public static string Fifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ExternalTool.Run("mkfifo", path).EnsureSuccess();
        Fifos[Path.GetFullPath(path)] = true;
        return path;
    }

    /// <summary>
    /// Puts a non-regular file of <paramref name="kind"/> (see <see cref="Kinds"/>) where <paramref name="path"/> says and
    /// returns the path to give the loader (for <c>device</c>: a symbolic link at <paramref name="path"/> to /dev/zero, so
    /// the file keeps the name a loader expects).
    /// </summary>
    public static string Make(string kind, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        switch (kind)
        {
            case "fifo":
                return Fifo(path);
            case "device":
                File.CreateSymbolicLink(path, "/dev/zero");
                return path;
            case "directory":
                Directory.CreateDirectory(path);
                return path;
            case "link-to-fifo":
                Fifo(path + ".fifo");
                File.CreateSymbolicLink(path, Path.GetFileName(path) + ".fifo");
                return path;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>What <see cref="Make"/>'s kind is called in a refusal, e.g. <c>a named pipe</c>.</summary>
    public static string Described(string kind) => kind switch
    {
        "fifo" or "link-to-fifo" => "a named pipe",
        "device" => "a character device",
        "directory" => "a directory",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// Runs <paramref name="act"/>, which must throw within <see cref="Limit"/>, and returns what it threw. When it does
    /// not end in time (blocked opening a FIFO), every FIFO under <paramref name="folder"/> is opened for writing and closed,
    /// so the blocked read sees end of file and the run goes on, and the test fails.
    /// </summary>
    public static Exception Refusal(Action act, string folder)
    {
        var run = Task.Run(act);
        if (!((IAsyncResult)run).AsyncWaitHandle.WaitOne(Limit))
        {
            Release(folder);
            throw new XunitException($"the loader did not refuse within {Limit.TotalSeconds:0} s (blocked reading a FIFO?)");
        }
        return run.Exception?.InnerException ?? throw new XunitException("the loader accepted a file that is not a regular file");
    }

    /// <summary>A 17 MiB sparse file at <paramref name="path"/> (over the 16 MiB bound of YAML and JSON inputs; no disk used).</summary>
    public static string Oversized(string path, long bytes = 17L * 1024 * 1024)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(bytes);
        return path;
    }

    /// <summary>Opens each FIFO made under <paramref name="folder"/> for writing and closes it (a writer that finds no reader
    /// blocks, so each opening runs on its own task and is given up after a second).</summary>
    private static void Release(string folder)
    {
        var root = Path.GetFullPath(folder);
        var openings = Fifos.Keys.Where(f => f.StartsWith(root, StringComparison.Ordinal)).Select(fifo => Task.Run(() =>
        {
            try
            {
                using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        })).ToArray();
        Task.WaitAll(openings, TimeSpan.FromSeconds(1));
    }
}
