using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Promotion.Checks;

namespace Build.Flows;

/// <summary>
/// <c>Promote --against-snapshot=REGISTRY=FILE</c>: the offline immutability presubmit. The manifests are checked against
/// committed snapshots by <see cref="SnapshotCheck"/>, with no registry contacted (no pool is even taken): each refused edge
/// and each new edge is listed with the manifest's <c>file:line</c>, and any refusal fails the run.
/// </summary>
public static class AgainstSnapshotFlow
{
    /// <summary>Checks the manifests of <paramref name="command"/> against its snapshots.</summary>
    /// <exception cref="CakeException">Two snapshots of one registry.</exception>
    /// <exception cref="Promoter.PromoterException">A manifest or snapshot file is invalid or unreadable
    /// (<c>file:line: field</c>), or the check refused an edge (<see cref="SnapshotCheckRefusedException"/>).</exception>
    public static void Run(PromoteCommand command, ICakeLog log)
    {
        var files = command.Inputs.AgainstSnapshots.Select(s => RegistrySnapshotFile.Load(s.Key, s.Value)).ToList();
        SnapshotSet snapshots;
        try { snapshots = new SnapshotSet(files); }
        catch (ArgumentException exception) { throw new CakeException($"Setting '{BuildSettings.OfflineFlags.AgainstSnapshot.Name}': {exception.Message}"); }
        foreach (var file in files)
            log.Information("against-snapshot: {0} = {1} ({2} image(s), {3} digest(s))", file.Registry, file.File, file.Contents.Images.Count,
                file.Contents.Images.Sum(i => i.Dmap.Count));

        var manifests = command.Inputs.Manifest is { } single ? [ManifestReader.Load(single)] : Thin(command.Inputs.ThinManifestDirectory!, log);
        // Overlapping edges are kept (each overlap message is dropped) so that the check refuses each of them with its own file:line.
        var edges = PromotionEdges.FromManifests(manifests, _ => { });
        var origins = SnapshotCheck.Origins(manifests);
        var checkedEdges = SnapshotCheck.Check(edges, snapshots, command.Run.AllowTagMoves);

        foreach (var source in checkedEdges.Where(e => !e.SourceKnown).Select(e => e.Planned.Edge.SourceRegistry).Distinct(StringComparer.Ordinal))
            log.Information("against-snapshot: no snapshot covers the source {0}: its digests are taken as present (a digest missing from it is not found here)", source);
        var refused = new List<string>();
        foreach (var edge in checkedEdges)
        {
            var line = $"{(origins.TryGetValue(edge.Planned.Edge, out var at) ? at.ToString() : command.Inputs.Described)}: {edge.Describe()}";
            if (edge.Verdict == SnapshotVerdict.Refused) refused.Add(line);
            // The line is a format string to Cake's log: braces in a path are escaped, and nothing is highlighted.
            else if (edge.Verdict == SnapshotVerdict.New) log.Information(line.Replace("{", "{{").Replace("}", "}}"));
            else log.Verbose(line.Replace("{", "{{").Replace("}", "}}"));
        }
        log.Information("against-snapshot: {0}: {1} edge(s), {2} unchanged, {3} new, {4} refused; no registry was contacted",
            command.Inputs.Described, checkedEdges.Count, checkedEdges.Count(e => e.Verdict == SnapshotVerdict.Unchanged),
            checkedEdges.Count(e => e.Verdict == SnapshotVerdict.New), refused.Count);
        if (refused.Count > 0) throw new SnapshotCheckRefusedException(refused);
    }

    private static IReadOnlyList<PromoterManifest> Thin(string directory, ICakeLog log)
    {
        var set = ManifestReader.LoadThinDirectory(directory);
        foreach (var warning in set.Warnings) log.Warning(warning);
        return set.Manifests;
    }
}
