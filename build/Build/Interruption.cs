using System.Runtime.InteropServices;

namespace Build;

/// <summary>
/// Stops a run cleanly on SIGTERM or SIGINT (a Prow job timeout, a pod eviction, Ctrl-C): everything the run started and
/// tracked (local registry processes and their storage, temporary folders) is released, newest first, and the process
/// exits with 128 + the signal number (143 for SIGTERM, 130 for SIGINT), so CI sees an interrupted run, not a pass or an
/// ordinary failure. A second signal exits at once. JUnit files and archives are written by rename, so any that exist
/// are complete.
/// </summary>
public static class Interruption
{
    private static readonly Lock Gate = new();
    private static readonly List<IDisposable> Resources = [];
    private static readonly List<PosixSignalRegistration> Registrations = [];
    private static int _signals;
    private static int? _exitCode;
    private static readonly TaskCompletionSource Released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// The exit code of the run: <paramref name="runExitCode"/>, or, when a signal interrupted the run, 128 + the signal
    /// number once everything was released (the run's own failure, caused by the interruption, does not count).
    /// </summary>
    public static int Finish(int runExitCode)
    {
        int? code;
        lock (Gate) code = _exitCode;
        if (code is null) return runExitCode;
        Released.Task.Wait();
        return code.Value;
    }

    /// <summary>Handles SIGTERM and SIGINT for the rest of the process (idempotent).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (Registrations.Count > 0) return;
            Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle));
            Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle));
        }
    }

    /// <summary>Releases <paramref name="resource"/> if the run is interrupted before <see cref="Release"/> is called for it.</summary>
    public static void Track(IDisposable resource)
    {
        lock (Gate)
        {
            if (_exitCode is null)
            {
                Resources.Add(resource);
                return;
            }
        }
        // Started after the signal: released at once.
        resource.Dispose();
    }

    /// <summary>Forgets <paramref name="resource"/> (its owner released it).</summary>
    public static void Release(IDisposable resource)
    {
        lock (Gate) Resources.Remove(resource);
    }

    private static void Handle(PosixSignalContext signal)
    {
        signal.Cancel = true;
        var code = 128 + signal.Signal switch { PosixSignal.SIGINT => 2, PosixSignal.SIGTERM => 15, _ => 1 };
        if (Interlocked.Increment(ref _signals) > 1)
        {
            Console.Error.WriteLine($"{signal.Signal} again: exiting at once.");
            Environment.Exit(code);
        }
        List<IDisposable> resources;
        lock (Gate)
        {
            _exitCode = code;
            resources = Enumerable.Reverse(Resources).ToList();
            Resources.Clear();
        }
        Console.Error.WriteLine($"{signal.Signal}: the run is interrupted; releasing {resources.Count} resource(s) it started (a second signal exits at once).");
        // Off the signal thread: releasing stops registry processes and deletes their storage, which takes a moment. The
        // main thread may end the run meanwhile (its work fails once the registries are gone): Finish waits for this and
        // returns the signal's exit code; if the main thread is still busy, this exits the process itself.
        Task.Run(() =>
        {
            foreach (var resource in resources)
            {
                try { resource.Dispose(); }
                catch (Exception exception) { Console.Error.WriteLine($"interrupted: releasing {resource.GetType().Name} failed: {exception.Message}"); }
            }
            Console.Error.WriteLine($"interrupted by {signal.Signal}: exit code {code}");
            Released.TrySetResult();
            Environment.Exit(code);
        });
    }
}
