using Cake.Core;

namespace Build.Host;

/// <summary>A task class. The host registers every public, non-abstract implementation it finds.</summary>
public interface IFrostingTask
{
    /// <summary>Logged when <c>ShouldRun</c> returns false; empty by default.</summary>
    string SkippedMessage => string.Empty;

    /// <summary>Runs the task.</summary>
    Task RunAsync(ICakeContext context);

    /// <summary>The task's criterion; tasks that return false are skipped (and reported as skipped).</summary>
    bool ShouldRun(ICakeContext context);

    /// <summary>Called when the task throws; rethrow to fail the run.</summary>
    void OnError(Exception exception, ICakeContext context);

    /// <summary>Called after the task ran, failed or not.</summary>
    void Finally(ICakeContext context);
}
