using Build.Kubernetes;
using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Build.Flows;

/// <summary>RenderJobs: the Prow job config and the kustomize base and overlays of <see cref="PipelineJobs"/>.</summary>
public static class JobsFlow
{
    /// <summary>
    /// Renders <see cref="PipelineJobs"/>, refuses a rendering that breaks <see cref="JobRules"/>, and writes it into
    /// <see cref="JobsSettings.Folder"/> (deleting files it does not generate), or with <see cref="JobsSettings.Verify"/>
    /// compares the folder with it.
    /// </summary>
    /// <exception cref="CakeException">The rendering breaks a rule, or (verify) a file is missing, extra or differs; the
    /// message lists every one.</exception>
    public static void Render(JobsSettings settings, ICakeLog log)
    {
        var rendered = PipelineJobs.Render();
        var violations = JobRules.ProwViolations(PipelineJobs.Prow())
            .Concat(JobRules.Violations([PipelineJobs.Account(), PipelineJobs.ScheduledPromotion(), PipelineJobs.OneOffPromotion(), PipelineJobs.ShardedPromotion()], null))
            .ToList();
        if (violations.Count > 0)
            throw new CakeException("the jobs break the project's rules:" + string.Concat(violations.Select(v => Environment.NewLine + "  " + v)));
        if (settings.Verify)
        {
            var differences = rendered.Differences(settings.Folder);
            if (differences.Count > 0)
                throw new CakeException($"{settings.Folder} differs from what RenderJobs generates ({differences.Count} difference(s)):" +
                    string.Concat(differences.Select(d => Environment.NewLine + "  " + d)) + Environment.NewLine +
                    "Run RenderJobs without --verify and commit the result.");
            log.Information("jobs verified: {0} files in {1} identical to what RenderJobs generates", rendered.Files.Count, settings.Folder);
            return;
        }
        var (written, deleted) = rendered.Write(settings.Folder);
        foreach (var path in written) log.Information("wrote {0}", Path.Combine(settings.Folder, path));
        foreach (var path in deleted) log.Information("deleted {0} (not generated)", Path.Combine(settings.Folder, path));
    }
}
