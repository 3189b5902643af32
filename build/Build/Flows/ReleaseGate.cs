using Build.Settings;
using Build.Tools.Git;
using Cake.Core;
using Cake.ImagePromoter;
using Cake.Core.Diagnostics;
using Promoter.Releases;

namespace Build.Flows;

/// <summary>The PromoteRelease criterion: the release gates of <see cref="ReleaseGates"/> for this run's commit range.</summary>
/// <param name="Mode">What the task does.</param>
/// <param name="Line">The one log line saying why.</param>
/// <param name="Decision">The gates' decision (null when the range could not be resolved).</param>
public sealed record ReleaseGate(ReleaseMode Mode, string Line, ReleaseDecision? Decision)
{
    /// <summary>True when the task body runs (it also runs to fail with <see cref="Line"/>).</summary>
    public bool Runs => Mode != ReleaseMode.Skip;

    /// <summary>
    /// Resolves the range (Prow / GitHub Actions variables, or <c>--since</c>) and decides, with <c>--allow-prerelease</c>;
    /// logs the one line and returns the gate. The release tag counts as existing when it is in the clone or on the
    /// remote of <c>--git-remote</c> (default <c>origin</c>). A malformed CI environment, a shallow clone without
    /// the range's commits, or a remote whose tags cannot be read is a <see cref="ReleaseMode.Fail"/>.
    /// </summary>
    public static ReleaseGate Decide(ReleaseSettings settings, ICakeContext context, Cake.Core.IO.DirectoryPath repositoryRoot)
    {
        ReleaseGate gate;
        try
        {
            // The addin's alias, reading git through LibGit2Sharp (Tools/Git) rather than its default, the git command.
            var decision = context.VersionChanged(repositoryRoot, new VersionChangedSettings
            {
                AllowPrerelease = settings.AllowPrerelease,
                Since = settings.Since,
                Git = new GitRepository(repositoryRoot.MakeAbsolute(context.Environment).FullPath, settings.GitRemote),
            });
            gate = FromDecision(decision);
        }
        catch (Exception exception) when (exception is FormatException or GitException)
        {
            gate = new ReleaseGate(ReleaseMode.Fail, $"PromoteRelease refused: {exception.Message}", null);
        }
        if (gate.Mode == ReleaseMode.Fail) context.Log.Error(gate.Line);
        else context.Log.Information(gate.Line);
        return gate;
    }

    /// <summary>Maps the gates' decision to a mode and its line.</summary>
    public static ReleaseGate FromDecision(ReleaseDecision decision)
    {
        var promote = decision.PromoteRelease;
        if (promote.Allowed)
            return new ReleaseGate(ReleaseMode.Release, $"PromoteRelease runs: {promote.Reason}", decision);
        if (promote.IsFailure)
            return new ReleaseGate(ReleaseMode.Fail, $"PromoteRelease refused: {promote.Reason}", decision);
        if (promote.Refusal == ReleaseRefusal.NotReleasingJob && decision.BuildImages.Allowed && !decision.PushImages.Allowed)
            return new ReleaseGate(ReleaseMode.BuildOnly,
                $"PromoteRelease builds the release images without pushing: {decision.PushImages.Reason} ({promote.Reason})", decision);
        return new ReleaseGate(ReleaseMode.Skip, $"PromoteRelease skipped: {promote.Reason}", decision);
    }
}
