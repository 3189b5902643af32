using Cake.Core;
using Promoter.PullRequests;
using static Build.Settings.SettingParsers;

namespace Build.Settings;

// The PromotionPR settings (issue 28): kpromo pr's flags, declared beside the others.
public sealed partial class BuildSettings
{
    /// <summary>
    /// The settings of PromotionPR. A nested class, so that they are initialised before <see cref="All"/> reads them (static
    /// fields of one type spread over partial files initialise in no documented order).
    /// </summary>
    public static class PullRequestFlags
    {
        /// <summary><c>--project</c>: the staging project (kpromo's flag).</summary>
        public static readonly Setting<string> Project = new("project", "NAME", PullRequestText.DefaultProject, PullRequestText.DefaultProject,
            "PromotionPR: the project whose images are promoted (its staging repository gcr.io/k8s-staging-NAME)", "PromotionPR", ProjectName);

        /// <summary><c>--staging-repo</c>: the staging repository, when it is not <c>gcr.io/k8s-staging-&lt;project&gt;</c>.</summary>
        public static readonly Setting<string?> StagingRepo = new("staging-repo", RegistryShape, null, "gcr.io/k8s-staging-<project>",
            "PromotionPR: the staging repository the tags are read from (an Artifact Registry repository, a local registry)", "PromotionPR", RegistryName);

        /// <summary><c>--image</c>: the images to promote (repeatable).</summary>
        public static readonly Setting<IReadOnlyList<string>> Image = new("image", "NAME[,NAME...]", [], "every image with the tag",
            "PromotionPR: an image of the staging repository to promote (repeatable)", "PromotionPR", List);

        /// <summary><c>--tag</c>: the tags to promote (repeatable).</summary>
        public static readonly Setting<IReadOnlyList<string>> Tag = new("tag", "TAG[,TAG...]", [], "",
            "PromotionPR: a tag to promote (repeatable); its digest is read from the staging repository", "PromotionPR",
            text => List(text).Select(t => TagName(t)!).ToList());

        /// <summary><c>--digests</c>: only these digests (with tags), or these digests instead of tags.</summary>
        public static readonly Setting<IReadOnlyList<string>> Digests = new("digests", "DIGEST[,DIGEST...]", [], "",
            "PromotionPR: with --tag, only images whose tag is on one of these digests; without, these digests of the --image images (repeatable)",
            "PromotionPR", text => List(text).Select(d => Promoter.Oci.Digest.Parse(d).Value).ToList());

        /// <summary><c>--k8s-io-repo</c>: the local clone of kubernetes/k8s.io.</summary>
        public static readonly Setting<string?> K8sIoRepo = new("k8s-io-repo", "DIR", null, "",
            "PromotionPR: a local clone of kubernetes/k8s.io (its origin is the upstream; the branch starts at origin/main)", "PromotionPR", Text);

        /// <summary><c>--fork</c>: the fork the branch is pushed to.</summary>
        public static readonly Setting<string?> Fork = new("fork", "URL|OWNER/REPO", null, "",
            "PromotionPR: the fork of k8s.io the branch is pushed to: a git URL or path (its last two path parts are OWNER/REPO) or kpromo's OWNER/REPO",
            "PromotionPR", Text);

        /// <summary><c>--branch</c>: the branch name.</summary>
        public static readonly Setting<string?> Branch = new("branch", "NAME", null, "<project>-<tag>-image-promotion",
            "PromotionPR: the branch committed and pushed", "PromotionPR", Text);

        /// <summary><c>--reviewers</c>: the reviewers requested.</summary>
        public static readonly Setting<IReadOnlyList<string>> Reviewers = new("reviewers", "@USER|@ORG/TEAM,...", [PullRequestText.DefaultReviewers],
            PullRequestText.DefaultReviewers, "PromotionPR: the reviewers requested on the pull request (users, or teams as @org/team)", "PromotionPR", List);

        /// <summary><c>--github-token-env</c>: the environment variable holding the GitHub token.</summary>
        public static readonly Setting<string> GitHubTokenEnv = new("github-token-env", "NAME", "GITHUB_TOKEN", "GITHUB_TOKEN",
            "PromotionPR: the environment variable holding the GitHub token (never printed); unset or empty: --confirm pushes and prints the compare URL",
            "PromotionPR", Text);

        /// <summary><c>--github-api-url</c>: the GitHub API address (advanced; tests point it at a local recorder).</summary>
        public static readonly Setting<Uri> GitHubApiUrl = new("github-api-url", "URL", new Uri("https://api.github.com/"), "https://api.github.com",
            "PromotionPR (advanced): the GitHub REST API address (GitHub Enterprise: https://HOST/api/v3)", "PromotionPR", WebAddress);

        /// <summary><c>--git-author</c>: the commit's author, when git config has none.</summary>
        public static readonly Setting<string?> GitAuthor = new("git-author", "NAME <EMAIL>", null, "git config user.name and user.email",
            "PromotionPR: the author and committer of the commit", "PromotionPR", Author);

        /// <summary>Every setting of this class, in the order help lists them.</summary>
        public static IReadOnlyList<SettingDeclaration> All { get; } =
            [Project, StagingRepo, Image, Tag, Digests, K8sIoRepo, Fork, Branch, Reviewers, GitHubTokenEnv, GitHubApiUrl, GitAuthor];
    }

    /// <summary>PromotionPR; checked as a whole.</summary>
    /// <exception cref="CakeException">No --tag and no --digests, no --k8s-io-repo or --fork, or digests without images.</exception>
    public PullRequestSettings PullRequest
    {
        get
        {
            var project = _reader.Get(PullRequestFlags.Project);
            var tags = _reader.GetAll(PullRequestFlags.Tag);
            var digests = _reader.GetAll(PullRequestFlags.Digests);
            var images = _reader.GetAll(PullRequestFlags.Image);
            if (tags.Count == 0 && digests.Count == 0)
                throw new CakeException($"PromotionPR needs --{PullRequestFlags.Tag.Name}=TAG (repeatable) or --{PullRequestFlags.Digests.Name}=DIGEST.");
            if (tags.Count == 0 && images.Count == 0)
                throw new CakeException($"PromotionPR with --{PullRequestFlags.Digests.Name} and no --{PullRequestFlags.Tag.Name} needs --{PullRequestFlags.Image.Name}.");
            if (tags.Contains(StagingResolver.Latest))
                throw new CakeException($"Setting '{PullRequestFlags.Tag.Name}': '{StagingResolver.Latest}' is never promoted (kpromo refuses it too).");
            var clone = _reader.Get(PullRequestFlags.K8sIoRepo)
                        ?? throw new CakeException($"PromotionPR needs --{PullRequestFlags.K8sIoRepo.Name}=DIR, a local clone of kubernetes/k8s.io.");
            var fork = _reader.Get(PullRequestFlags.Fork)
                       ?? throw new CakeException($"PromotionPR needs --{PullRequestFlags.Fork.Name}, the fork the branch is pushed to.");
            return new PullRequestSettings(project, _reader.Get(PullRequestFlags.StagingRepo) ?? PromotionPullRequest.DefaultStagingRepository(project),
                images, tags, digests, FullPath(clone), fork, _reader.Get(PullRequestFlags.Branch), _reader.GetAll(PullRequestFlags.Reviewers),
                _reader.Get(PullRequestFlags.GitHubTokenEnv), _reader.Get(PullRequestFlags.GitHubApiUrl), _reader.Get(PullRequestFlags.GitAuthor),
                _reader.Get(Confirm)) { AgainstSnapshots = AgainstSnapshots() };
        }
    }

    /// <summary>A staging project name: a repository-name component (it becomes <c>k8s-staging-NAME</c>).</summary>
    private static string ProjectName(string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, "^[a-z0-9]+(?:[._-][a-z0-9]+)*$") ? text
            : throw new FormatException($"expected a project name (lower-case letters, digits, '.', '_', '-'), got '{text}'.");

    /// <summary>An absolute http(s) URL, kept as a base address (a trailing <c>/</c> added).</summary>
    private static Uri WebAddress(string text) =>
        Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new FormatException($"expected an https:// URL, got '{text}'.");

    /// <summary><c>Name &lt;email&gt;</c>.</summary>
    private static string? Author(string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, @"^[^<>]+ <[^<>\s]+@[^<>\s]+>$") ? text
            : throw new FormatException($"expected 'Name <email>', got '{text}'.");
}
