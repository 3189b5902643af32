using Cake.Core.Diagnostics;

namespace Build.Incremental;

/// <summary>Runs a step only when the fingerprint of its inputs changed since its last success (or <c>--rebuild</c>).</summary>
public static class UpToDate
{
    /// <summary>
    /// Runs <paramref name="step"/> unless the fingerprint of <paramref name="inputs"/> matches the stamp of
    /// <paramref name="stampName"/>; saves the stamp after a successful run.
    /// </summary>
    /// <param name="context">The build context (repository root, stamps, <c>--rebuild</c>, log).</param>
    /// <param name="stampName">The stamp's name under <c>.build/</c>, e.g. <c>compile-Release</c>.</param>
    /// <param name="inputs">Folders and files (relative to the repository root) the step reads.</param>
    /// <param name="upToDateMessage">Logged when the step is skipped.</param>
    /// <param name="step">The work.</param>
    public static void Run(BuildContext context, string stampName, IEnumerable<string> inputs, string upToDateMessage, Action step)
    {
        var fingerprint = SourceFingerprint.Compute(context.RepositoryRoot.FullPath, inputs);
        var stamp = context.StampFile(stampName);
        if (!context.Settings.Compile.Rebuild && fingerprint.Matches(stamp))
        {
            context.Log.Information(upToDateMessage);
            return;
        }
        step();
        fingerprint.Save(stamp);
    }
}
