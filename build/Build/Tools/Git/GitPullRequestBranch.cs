using LibGit2Sharp;
using LibGit2Sharp.Handlers;
using GitException = Promoter.Releases.GitException;

namespace Build.Tools.Git;

/// <summary>
/// The git side of a promotion pull request, over LibGit2Sharp, in a local clone of the upstream repository: the base
/// commit (the upstream's branch, fetched first as kpromo's <c>--update-repo</c> does), a commit that changes one file on a
/// new branch (made in the object store: the working tree, the index and HEAD are left as they are), and the push of that
/// branch to the fork through a remote named <see cref="ForkRemote"/> (kpromo's name). A git failure is a
/// <see cref="GitException"/> naming the clone, the remote or the branch.
/// </summary>
public static class GitPullRequestBranch
{
    /// <summary>The upstream's remote in the clone.</summary>
    public const string Origin = "origin";

    /// <summary>The remote the branch is pushed to (kpromo's <c>github.UserForkName</c>).</summary>
    public const string ForkRemote = "userfork";

    /// <summary>The base commit: <c>origin/&lt;branch&gt;</c>, fetched first when <paramref name="fetch"/>.</summary>
    /// <param name="clone">The clone's folder.</param>
    /// <param name="branch">The upstream branch, e.g. <c>main</c>.</param>
    /// <param name="fetch">Fetch it from origin first (a write to the clone's remote-tracking branch); else only compare with
    /// what origin has and warn when the clone is behind.</param>
    /// <param name="warn">Receives the warning of a clone behind its origin.</param>
    /// <returns>The commit id.</returns>
    /// <exception cref="GitException">No origin remote, the fetch failed, or no <c>origin/branch</c> after it.</exception>
    public static string BaseCommit(string clone, string branch, bool fetch, Action<string> warn)
    {
        using var repository = Open(clone);
        var origin = repository.Network.Remotes[Origin] ?? throw new GitException($"git: the clone {clone} has no remote '{Origin}' (the upstream k8s.io).");
        var tracking = $"refs/remotes/{Origin}/{branch}";
        if (fetch)
        {
            try
            {
                Commands.Fetch(repository, Origin, [$"+refs/heads/{branch}:{tracking}"], new FetchOptions(), "PromotionPR: fetch the base branch");
            }
            catch (LibGit2SharpException exception)
            {
                throw new GitException($"git: fetching {branch} from {Origin} ({origin.Url}) into {clone} failed: {exception.Message}", exception);
            }
        }
        var local = repository.Refs[tracking]?.ResolveToDirectReference()?.TargetIdentifier
                    ?? throw new GitException($"git: the clone {clone} has no {Origin}/{branch}" + (fetch ? "." : "; run with --confirm (which fetches it) or fetch it."));
        if (!fetch)
        {
            try
            {
                var remote = repository.Network.ListReferences(origin).FirstOrDefault(r => r.CanonicalName == $"refs/heads/{branch}")?.TargetIdentifier;
                if (remote is not null && remote != local)
                    warn($"the clone's {Origin}/{branch} is {local[..12]}, {Origin} has {remote[..12]}: this dry run edits the clone's; --confirm fetches first");
            }
            catch (LibGit2SharpException exception)
            {
                warn($"{Origin} ({origin.Url}) could not be read ({exception.Message}); this dry run edits the clone's {Origin}/{branch}");
            }
        }
        return local;
    }

    /// <summary>The URL of the clone's origin.</summary>
    /// <exception cref="GitException">No origin remote.</exception>
    public static string OriginUrl(string clone)
    {
        using var repository = Open(clone);
        return repository.Network.Remotes[Origin]?.Url ?? throw new GitException($"git: the clone {clone} has no remote '{Origin}'.");
    }

    /// <summary>The author of the commit: <paramref name="author"/> (<c>Name &lt;email&gt;</c>), else git config's user.name and user.email.</summary>
    /// <exception cref="GitException">Neither is given.</exception>
    public static Signature Author(string clone, string? author, DateTimeOffset when)
    {
        if (author is not null)
        {
            var open = author.LastIndexOf('<');
            return new Signature(author[..open].Trim(), author[(open + 1)..].TrimEnd('>').Trim(), when);
        }
        using var repository = Open(clone);
        return repository.Config.BuildSignature(when)
               ?? throw new GitException("git: no author: set user.name and user.email in git config, or give --git-author='Name <email>'.");
    }

    /// <summary>
    /// Commits <paramref name="text"/> as <paramref name="path"/> on top of <paramref name="baseCommit"/> and points the new
    /// local branch <paramref name="branch"/> at it. A branch that already holds exactly this change on this base is kept
    /// (a rerun); any other branch of that name is refused.
    /// </summary>
    /// <returns>The commit id, and whether it is new.</returns>
    /// <exception cref="GitException">The branch exists with other content.</exception>
    public static (string Sha, bool Created) Commit(string clone, string baseCommit, string path, string text, string message, Signature author, string branch)
    {
        using var repository = Open(clone);
        var parent = repository.Lookup<Commit>(baseCommit) ?? throw new GitException($"git: {baseCommit} is not a commit of {clone}.");
        var blob = repository.ObjectDatabase.CreateBlob(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
        var tree = TreeDefinition.From(parent.Tree);
        tree.Add(path, blob, Mode.NonExecutableFile);
        var newTree = repository.ObjectDatabase.CreateTree(tree);
        if (repository.Branches[branch] is { } existing)
        {
            if (existing.Tip.Tree.Id == newTree.Id && existing.Tip.Parents.Any(p => p.Sha == baseCommit)) return (existing.Tip.Sha, false);
            throw new GitException($"git: the clone {clone} already has a branch '{branch}' ({existing.Tip.Sha[..12]}) with other content; delete it or give --branch.");
        }
        var commit = repository.ObjectDatabase.CreateCommit(author, author, message + "\n", newTree, [parent], prettifyMessage: false);
        repository.Branches.Add(branch, commit);
        return (commit.Sha, true);
    }

    /// <summary>
    /// Pushes <paramref name="branch"/> to <paramref name="forkUrl"/> (never forced), through the remote <see cref="ForkRemote"/>,
    /// which is added or pointed at the URL. A fork branch already at the commit, or holding the same tree on the same base,
    /// is left as it is.
    /// </summary>
    /// <param name="clone">The clone's folder.</param>
    /// <param name="forkUrl">The fork's URL or path.</param>
    /// <param name="branch">The branch.</param>
    /// <param name="token">For an http(s) fork: the password of the push (GitHub's token), or null.</param>
    /// <returns>True when something was pushed; false when the fork already had the change.</returns>
    /// <exception cref="GitException">The fork cannot be reached, refuses the push, or has the branch with other content.</exception>
    public static bool Push(string clone, string forkUrl, string branch, string? token)
    {
        using var repository = Open(clone);
        if (repository.Network.Remotes[ForkRemote] is null) repository.Network.Remotes.Add(ForkRemote, forkUrl);
        else if (repository.Network.Remotes[ForkRemote].Url != forkUrl) repository.Network.Remotes.Update(ForkRemote, r => r.Url = forkUrl);
        var remote = repository.Network.Remotes[ForkRemote];
        var local = repository.Branches[branch]?.Tip ?? throw new GitException($"git: no branch '{branch}' in {clone}.");
        var shown = Promoter.Oci.RegistryHost.Redact(forkUrl);
        CredentialsHandler? credentials = token is { Length: > 0 } && forkUrl.StartsWith("http", StringComparison.OrdinalIgnoreCase)
            ? (_, _, _) => new UsernamePasswordCredentials { Username = "x-access-token", Password = token }
            : null;
        try
        {
            var references = credentials is null ? repository.Network.ListReferences(remote) : repository.Network.ListReferences(remote, credentials);
            var there = references.FirstOrDefault(r => r.CanonicalName == $"refs/heads/{branch}")?.TargetIdentifier;
            if (there == local.Sha) return false;
            if (there is not null)
            {
                Commands.Fetch(repository, ForkRemote, [$"+refs/heads/{branch}:refs/remotes/{ForkRemote}/{branch}"],
                    new FetchOptions { CredentialsProvider = credentials }, null);
                var theirs = repository.Lookup<Commit>(there);
                if (theirs is not null && theirs.Tree.Id == local.Tree.Id && theirs.Parents.Select(p => p.Sha).SequenceEqual(local.Parents.Select(p => p.Sha)))
                    return false;
                throw new GitException($"git: the fork {shown} already has a branch '{branch}' ({there[..12]}) with other content; give --branch.");
            }
            var refused = new List<string>();
            repository.Network.Push(remote, $"refs/heads/{branch}:refs/heads/{branch}", new PushOptions
            {
                CredentialsProvider = credentials,
                OnPushStatusError = error => refused.Add($"{error.Reference}: {error.Message}"),
            });
            if (refused.Count > 0) throw new GitException($"git: the fork {shown} refused {branch}: {string.Join("; ", refused)}");
            return true;
        }
        catch (LibGit2SharpException exception)
        {
            throw new GitException($"git: pushing {branch} to the fork {shown} failed: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// <c>OWNER/REPO</c> of a GitHub repository named by a URL (<c>https://github.com/OWNER/REPO.git</c>,
    /// <c>git@github.com:OWNER/REPO.git</c>), a path (its last two folders, e.g. <c>/srv/git/OWNER/REPO.git</c>) or
    /// kpromo's slug <c>OWNER/REPO</c>; <c>.git</c> is dropped.
    /// </summary>
    /// <exception cref="GitException">Fewer than two path parts.</exception>
    public static (string Owner, string Repository) Slug(string urlOrPath)
    {
        var path = urlOrPath.TrimEnd('/', '\\');
        var scheme = path.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) path = path[(scheme + 3)..];
        else if (path.IndexOf(':') is var colon and > 1 && !path.StartsWith('/')) path = path[(colon + 1)..]; // scp-like git@host:owner/repo
        var parts = path.Split('/', '\\').Where(p => p.Length > 0).ToList();
        if (parts.Count < 2) throw new GitException($"'{Promoter.Oci.RegistryHost.Redact(urlOrPath)}' does not name OWNER/REPO (a URL, a path ending in OWNER/REPO, or OWNER/REPO).");
        var name = parts[^1].EndsWith(".git", StringComparison.Ordinal) ? parts[^1][..^4] : parts[^1];
        return (parts[^2], name);
    }

    /// <summary>The push URL of a fork setting: kpromo's <c>OWNER/REPO</c> slug becomes <c>https://github.com/OWNER/REPO.git</c>; anything else is used as it is.</summary>
    public static string ForkUrl(string fork) =>
        System.Text.RegularExpressions.Regex.IsMatch(fork, @"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$") && !Directory.Exists(fork)
            ? $"https://github.com/{fork}.git"
            : fork;

    private static Repository Open(string clone)
    {
        try
        {
            return GitRepository.Open(clone);
        }
        catch (RepositoryNotFoundException exception)
        {
            throw new GitException($"git: no clone of k8s.io at {clone}: {exception.Message}", exception);
        }
    }
}
