using Promoter.Inputs;
using Promoter.Promotion;
using Promoter.Registry;
using Promoter.Yaml;
using Promoter.Promotion.Checks;

namespace Promoter.PullRequests;

/// <summary>
/// kpromo's <c>pr</c> up to the commit, with no git and no GitHub: finds the thin manifest whose source is the staging
/// repository, resolves the tags in the staging registry, edits its <c>images.yaml</c> (<see cref="ImagesYamlEdit"/>), and
/// checks the whole thin-manifest directory as <c>Promote --parse-only</c> does. A tag move, or a directory that fails
/// those checks after the edit, is refused here, so nothing is committed or pushed for it.
/// </summary>
public static class PromotionPullRequest
{
    /// <summary>The thin-manifest directory of the k8s.io repository (kpromo's <c>consts.ProdRegistry</c>).</summary>
    public const string ThinDirectory = "registry.k8s.io";

    /// <summary>kpromo's staging repository of a project: <c>gcr.io/k8s-staging-&lt;project&gt;</c>.</summary>
    public static string DefaultStagingRepository(string project) => $"gcr.io/k8s-staging-{project}";

    /// <summary>
    /// Prepares the pull request against <paramref name="thinDirectory"/>, a scratch copy of the k8s.io repository's
    /// <see cref="ThinDirectory"/> folder at the base commit: the edited <c>images.yaml</c> is written there for the check.
    /// </summary>
    /// <param name="pool">The run's registry clients (the staging registry is read through them).</param>
    /// <param name="request">What to promote.</param>
    /// <param name="thinDirectory">The scratch copy (its <c>manifests/</c> and <c>images/</c>).</param>
    /// <param name="log">Receives what was resolved and decided.</param>
    /// <param name="cancellationToken">Cancels the registry requests.</param>
    /// <exception cref="PullRequestRefusedException">A tag move, or the edited directory fails the checks of <c>Promote --parse-only</c>.</exception>
    /// <exception cref="PullRequestInputException">No thin manifest has the staging repository as its source; nothing matched in staging.</exception>
    /// <exception cref="InputFormatException">The thin-manifest directory is invalid before the edit.</exception>
    /// <exception cref="ImagesYamlLayoutException">An entry to edit is not in kpromo's layout.</exception>
    /// <exception cref="RegistryException">The staging registry refused or failed.</exception>
    public static async Task<PreparedPullRequest> PrepareAsync(RegistryPool pool, PullRequestRequest request, string thinDirectory,
        Action<string> log, CancellationToken cancellationToken = default)
    {
        var project = FindProject(thinDirectory, request.Query.StagingRepository);
        var relative = $"{ThinDirectory}/images/{project}/{ManifestReader.ImagesFileName}";
        var path = Path.Combine(thinDirectory, "images", project, ManifestReader.ImagesFileName);
        var text = InputFile.ReadAllText(path);
        log($"{relative}: the thin manifest of {request.Query.StagingRepository} (manifests/{project}/{ManifestReader.ThinManifestFileName})");

        var staged = await StagingResolver.ResolveAsync(pool, request.Query, log, cancellationToken);
        var edit = ImagesYamlEdit.Apply(text, relative, staged);
        foreach (var decision in edit.Decisions) log(decision.ToString());
        if (edit.Refused.Count > 0)
            throw new PullRequestRefusedException($"{edit.Refused.Count} tag move(s) refused; no pull request was made:\n" +
                string.Join("\n", edit.Refused.Select(r => r.ToString())));

        var subject = new PullRequestSubject(request.Project, request.Query.StagingRepository, request.Query.Tags, request.Query.Digests,
            request.Query.Images, edit.Added, request.Reviewers);
        var branch = request.Branch ?? PullRequestText.Branch(request.Project, request.Query.Tags, request.Query.Digests);
        var edges = 0;
        if (edit.Added.Count > 0)
        {
            File.WriteAllText(path, edit.Text);
            IReadOnlyList<PromotionEdge> all;
            try
            {
                all = PromotionEdges.FromManifests(ManifestReader.LoadThinDirectory(thinDirectory).Manifests);
            }
            catch (InputFormatException exception)
            {
                throw new PullRequestRefusedException($"the edited {relative} fails the checks of Promote --parse-only; no pull request was made:\n{exception.Message}");
            }
            edges = all.Count;
            log($"parse-only: {ThinDirectory} with the edit is valid ({edges} edge(s))");
            if (request.Snapshots is { } snapshots)
            {
                // The same check as Promote --against-snapshot: the edited manifests against the committed snapshots.
                var refused = SnapshotCheck.Check(all, snapshots, allowTagMoves: false).Where(e => e.Verdict == SnapshotVerdict.Refused)
                    .Select(e => e.Describe()).ToList();
                if (refused.Count > 0)
                    throw new PullRequestRefusedException($"{refused.Count} edge(s) refused against the committed snapshots; no pull request was made:\n" +
                        string.Join("\n", refused));
                log($"against-snapshot: {ThinDirectory} with the edit passes the committed snapshots");
            }
        }
        return new PreparedPullRequest(relative, edit, PullRequestText.Title(subject), PullRequestText.Body(subject), branch, edges);
    }

    /// <summary>The project folder whose thin manifest has <paramref name="stagingRepository"/> as its source (kpromo's <c>manifest.Find</c>).</summary>
    private static string FindProject(string thinDirectory, string stagingRepository)
    {
        var set = ManifestReader.LoadThinDirectory(thinDirectory);
        var matches = set.Manifests.Where(m => m.Source.Name.TrimEnd('/') == stagingRepository.TrimEnd('/')).ToList();
        if (matches.Count == 0)
            throw new PullRequestInputException($"no thin manifest under {ThinDirectory}/manifests has {stagingRepository} as its source " +
                $"(sources: {string.Join(", ", set.Manifests.Select(m => m.Source.Name).Order(StringComparer.Ordinal))}).");
        return matches[0].Project ?? throw new InvalidOperationException("a thin manifest without its project");
    }
}
