using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Backfill;
using Promoter.Registry;

namespace Build.Flows;

/// <summary>
/// The Backfill task's work: the Promote command's manifests and run settings (<c>Settings.Promote(PromoteMode.Backfill)</c>),
/// the destinations of each edge compared as replicas of each other (<see cref="BackfillRun"/>), and what one lacks copied
/// from a healthy one through the promotion pipeline, with the plan file and request budget of <see cref="PromoteFlow.Prepare"/>.
/// </summary>
public static class BackfillFlow
{
    /// <summary>
    /// Lists per replica each missing or differing item and fails when there is any (a dry run: the periodic consistency
    /// audit); with <c>--confirm</c> copies each missing item from a healthy replica, and fails only on what it may not or
    /// cannot repair (a tag on another digest, an item no healthy replica holds).
    /// </summary>
    /// <exception cref="CakeException">Findings in a dry run; unrepaired findings after <c>--confirm</c>; a setting Backfill
    /// does not take.</exception>
    /// <exception cref="Promoter.PromoterException">A manifest is invalid, a replica failed, or (confirmed) a tag on another
    /// digest was refused after the other items were copied (<c>EdgesRefusedException</c>).</exception>
    public static void Run(PromoteCommand command, RegistryPool pool, ICakeLog log, string? artifacts, IReadOnlyDictionary<string, string> environment)
    {
        RefuseUnused(command);
        try
        {
            var prepared = PromoteFlow.Prepare(command, pool, log, artifacts, environment);
            var edges = prepared.Load(warning => log.Warning(warning));
            var result = BackfillRun.RunAsync(pool, edges, prepared.Policy).GetAwaiter().GetResult();
            var findings = result.Comparison.Findings;
            if (findings.Count == 0) return;
            var replicas = findings.Select(f => f.Replica).Distinct(StringComparer.Ordinal).Count();
            if (!command.Run.Confirm)
                throw new CakeException($"{findings.Count} item(s) missing or differing in {replicas} replica(s) (listed above); " +
                                        "--confirm copies the missing ones from a healthy replica (a tag on another digest is never moved).");
            if (result.Unrepaired.Count > 0)
                throw new CakeException($"{result.Unrepaired.Count} item(s) not repaired (listed above): " +
                                        string.Join("; ", result.Unrepaired.Select(f => $"{f.Replica} {f.Item}")));
            log.Information("backfill: {0} item(s) copied from healthy replicas", findings.Count);
        }
        catch (FormatException exception)
        {
            throw new CakeException(exception.Message, exception);
        }
    }

    /// <summary>Promote's settings that have no meaning for Backfill are refused, not ignored.</summary>
    private static void RefuseUnused(PromoteCommand command)
    {
        var refused = new List<string>();
        if (command.Run.AllowTagMoves) refused.Add("--allow-tag-moves (Backfill never moves a tag)");
        if (command.Selection.Sharding.Shard is not null || command.Selection.Sharding.Shards is not null) refused.Add("--shard/--shards");
        if (command.Selection.UseProwManifestDiff || command.Selection.ManifestDiffSince is not null)
            refused.Add("--use-prow-manifest-diff/--manifest-diff-since (every edge's replicas are compared)");
        if (command.Signing.Sign || command.Signing.RequireSignature is not null)
            refused.Add("--sign/--require-signature (Backfill copies what the replicas hold; SignatureCheck checks signatures)");
        if (refused.Count > 0) throw new CakeException($"Backfill does not take {string.Join(", ", refused)}.");
    }
}
