using Build.Settings;
using Build.Tools.Git;
using Build.Tools.GitHub;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.PullRequests;
using Promoter.Registry;
using Promoter.Promotion.Checks;

namespace Build.Flows;

/// <summary>
/// The PromotionPR task's work, kpromo's <c>pr</c>: the base commit of the k8s.io clone, the edit of the staging project's
/// <c>images.yaml</c> (<see cref="PromotionPullRequest"/>: staging tags resolved, tag moves refused, the thin-manifest
/// directory checked as <c>Promote --parse-only</c> does), then, with <c>--confirm</c>, a commit on a new branch, the
/// push to the fork and the pull request (<see cref="GitHubPullRequests"/>) - or, without a token, the compare URL.
/// </summary>
public static class PromotionPRFlow
{
    /// <summary>The upstream branch pull requests go to (kpromo's <c>k8sioDefaultBranch</c>).</summary>
    public const string BaseBranch = "main";

    /// <summary>Runs the pull request as <paramref name="settings"/> say; a dry run prints the diff, title and body and writes nothing.</summary>
    /// <param name="settings">What to promote and where.</param>
    /// <param name="pool">The run's registry clients (the staging registry is read through them).</param>
    /// <param name="log">Receives the diff, the texts and every step.</param>
    /// <param name="token">The GitHub token from the environment, or null (never logged).</param>
    /// <exception cref="CakeException">GitHub refused the pull request or the reviewers.</exception>
    /// <exception cref="Promoter.PromoterException">A refusal (tag move, failed parse-only check), a git failure, a registry failure, an invalid manifest.</exception>
    public static void Run(PullRequestSettings settings, RegistryPool pool, ICakeLog log, string? token)
    {
        var (upstreamOwner, upstreamRepository) = GitPullRequestBranch.Slug(GitPullRequestBranch.OriginUrl(settings.K8sIoClone));
        var forkUrl = GitPullRequestBranch.ForkUrl(settings.Fork);
        var (forkOwner, _) = GitPullRequestBranch.Slug(forkUrl);
        var baseCommit = GitPullRequestBranch.BaseCommit(settings.K8sIoClone, BaseBranch, fetch: settings.Confirm, warn: line => log.Warning(line));
        log.Information("PromotionPR: {0}/{1} {2} at {3}; staging {4}", upstreamOwner, upstreamRepository, BaseBranch, baseCommit[..12], settings.StagingRepository);

        var scratch = Directory.CreateTempSubdirectory("promotion-pr-").FullName;
        try
        {
            if (!GitTreeExport.Export(settings.K8sIoClone, baseCommit, PromotionPullRequest.ThinDirectory, scratch))
                throw new CakeException($"{settings.K8sIoClone} has no {PromotionPullRequest.ThinDirectory}/ at {GitPullRequestBranch.Origin}/{BaseBranch} ({baseCommit[..12]}).");
            var request = new PullRequestRequest(settings.Project, new StagingQuery(settings.StagingRepository, settings.Images, settings.Tags, settings.Digests),
                settings.Reviewers, settings.Branch)
            {
                Snapshots = settings.AgainstSnapshots.Count == 0 ? null
                    : new SnapshotSet(settings.AgainstSnapshots.Select(s => RegistrySnapshotFile.Load(s.Key, s.Value)).ToList()),
            };
            var prepared = PromotionPullRequest.PrepareAsync(pool, request, Path.Combine(scratch, PromotionPullRequest.ThinDirectory), line => log.Information(line))
                .GetAwaiter().GetResult();
            if (!prepared.HasChanges)
            {
                log.Information("nothing to add: {0} already holds every tag asked for ({1}); no branch, no pull request",
                    prepared.ImagesFile, string.Join(", ", prepared.Edit.AlreadyPresent.Select(a => a.Tag is null ? $"{a.Image}@{a.Digest}" : $"{a.Image}:{a.Tag}")));
                return;
            }
            log.Information("{0}", prepared.Edit.Diff.TrimEnd('\n'));
            log.Information("title: {0}", prepared.Title);
            log.Information("head: {0}:{1} -> {2}/{3} {4}", forkOwner, prepared.Branch, upstreamOwner, upstreamRepository, BaseBranch);
            log.Information("body:\n{0}", prepared.Body.TrimEnd('\n'));
            if (!settings.Confirm)
            {
                log.Information("Dry run: nothing was written (no commit, no push, no pull request); add --confirm to make it.");
                return;
            }

            var author = GitPullRequestBranch.Author(settings.K8sIoClone, settings.Author, DateTimeOffset.Now);
            var (sha, created) = GitPullRequestBranch.Commit(settings.K8sIoClone, baseCommit, prepared.ImagesFile, prepared.Edit.Text, prepared.Title, author, prepared.Branch);
            log.Information("commit {0} on branch {1}{2}", sha[..12], prepared.Branch, created ? "" : " (the branch already held this change)");
            var hasToken = !string.IsNullOrEmpty(token);
            var pushed = GitPullRequestBranch.Push(settings.K8sIoClone, forkUrl, prepared.Branch, hasToken ? token : null);
            log.Information(pushed ? "pushed {0} to {1}" : "the fork {1} already has {0} with this change; not pushed again",
                prepared.Branch, Promoter.Oci.RegistryHost.Redact(forkUrl));

            if (!hasToken)
            {
                log.Information("no GitHub token in ${0}: open the pull request at {1}", settings.TokenVariable,
                    PullRequestText.CompareUrl(PullRequestText.WebAddress(settings.GitHubApi), $"{upstreamOwner}/{upstreamRepository}", BaseBranch, forkOwner, prepared.Branch));
                return;
            }
            try
            {
                var opened = GitHubPullRequests.OpenAsync(settings.GitHubApi, token!, upstreamOwner, upstreamRepository, $"{forkOwner}:{prepared.Branch}",
                    BaseBranch, prepared.Title, prepared.Body, settings.Reviewers).GetAwaiter().GetResult();
                log.Information("opened pull request #{0}: {1}; reviewers requested: {2}", opened.Number, opened.Url, string.Join(", ", settings.Reviewers));
            }
            catch (Octokit.ApiException exception)
            {
                throw new CakeException($"GitHub ({settings.GitHubApi}) refused the pull request from {forkOwner}:{prepared.Branch} " +
                                        $"({(int)exception.StatusCode}): {exception.Message}; the branch is pushed, open it by hand");
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
