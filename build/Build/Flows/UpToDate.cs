using Cake.Core.Diagnostics;

namespace Build.Flows;

/// <summary>Runs a step only when the fingerprint of its inputs changed since its last success, or its outputs are gone.</summary>
public static class UpToDate
{
    /// <summary>
    /// Runs <paramref name="step"/> unless the fingerprint of <paramref name="inputs"/> matches the stamp
    /// <c>.build/&lt;stampName&gt;.sha256</c> and every one of <paramref name="outputs"/> exists; saves the stamp after a
    /// successful run.
    /// </summary>
    /// <param name="repositoryRoot">The folder inputs, outputs and the stamp are relative to.</param>
    /// <param name="stampName">The stamp's name under <c>.build/</c>, e.g. <c>compile-Release</c>.</param>
    /// <param name="inputs">Folders and files (relative) the step reads.</param>
    /// <param name="outputs">Folders or files (relative) the step writes; a missing one makes the step run.</param>
    /// <param name="rebuild">Run whatever the stamp says.</param>
    /// <param name="log">Receives <paramref name="upToDateMessage"/> or the reason the step runs (verbose).</param>
    /// <param name="upToDateMessage">Logged when the step is skipped.</param>
    /// <param name="step">The work.</param>
    public static void Run(string repositoryRoot, string stampName, IEnumerable<string> inputs, IEnumerable<string> outputs, bool rebuild,
        ICakeLog log, string upToDateMessage, Action step)
    {
        var fingerprint = SourceFingerprint.Compute(repositoryRoot, inputs);
        var stamp = Path.Combine(repositoryRoot, ".build", stampName + ".sha256");
        var missing = outputs.FirstOrDefault(o => !Path.Exists(Path.Combine(repositoryRoot, o)));
        if (!rebuild && missing is null && fingerprint.Matches(stamp))
        {
            log.Information(upToDateMessage);
            return;
        }
        if (missing is not null) log.Verbose("{0}: output {1} is missing, so the step runs", stampName, missing);
        step();
        fingerprint.Save(stamp);
    }
}
