using Build.Tests.Harness;
using FluentAssertions;
using LibGit2Sharp;
using Promoter.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Build.Tests.Tasks.PromotionPR;

/// <summary>A Distribution registry whose <c>k8s-staging-cip-test</c> holds upstream's golden images (PushSrc), for the whole class.</summary>
public sealed class StagingRegistry : RegistryFixture
{
    /// <summary>The staging repository prefix, <c>HOST/k8s-staging-cip-test</c>.</summary>
    public string Staging => $"{Registry.Host}/k8s-staging-cip-test";

    /// <summary>Starts the registry and pushes upstream's golden set into <see cref="Staging"/>.</summary>
    /// <exception cref="InvalidOperationException">PushSrc failed.</exception>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var seeded = BuildProgram.Run("--target", "PushSrc", $"--registry={Staging}", $"--golden={BuildProgram.UpstreamGoldenSet}");
        if (seeded.ExitCode != 0) throw new InvalidOperationException(seeded.Output);
    }
}

/// <summary>
/// PromotionPR through the real build program: a real registry with staging images, a bare "k8s.io" upstream and a bare
/// fork on disk with a clone of the upstream, real LibGit2Sharp commits and pushes, and Octokit's requests going to a
/// loopback recorder (GitHub cannot be reached).
/// </summary>
public sealed class PromotionPRTaskTests(StagingRegistry staging, ITestOutputHelper output) : IClassFixture<StagingRegistry>, IDisposable
{
    private const string Branch = "cip-test-1.0-image-promotion";
    private const string ImagesFile = "registry.k8s.io/images/k8s-staging-cip-test/images.yaml";
    private static readonly string Old = "sha256:" + new string('1', 64), Other = "sha256:" + new string('2', 64);
    private static readonly Signature Seeder = new("Seeder", "seeder@example.test", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    private readonly string _root = Directory.CreateTempSubdirectory("promotion-pr-").FullName;
    private readonly GitHubRecorder _github = new();

    private string Upstream => Path.Combine(_root, "gh", "kubernetes", "k8s.io.git");
    private string Fork => Path.Combine(_root, "gh", "alice", "k8s.io.git");
    private string Clone => Path.Combine(_root, "work", "k8s.io");

    public void Dispose()
    {
        _github.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static string ImagesYaml(string barDigest) => $"""
        # cip-test's images: the edit keeps this comment and every line it does not add to
        - name: aaa
          dmap:
            "{Old}": ["0.9"]
        - name: golden-bar/bar
          dmap:
            "{barDigest}": ["0.1"]
        - name: zzz
          dmap:
            "{Other}": ["2.0"]

        """;

    /// <summary>The bare upstream (main holding the thin manifest and <paramref name="images"/>), a bare fork of it, a clone of it.</summary>
    private void CreateRepositories(string images)
    {
        var seed = Path.Combine(_root, "seed");
        Repository.Init(Upstream, isBare: true);
        Repository.Init(seed);
        using (var repository = new Repository(seed))
        {
            Write(seed, "registry.k8s.io/manifests/k8s-staging-cip-test/promoter-manifest.yaml", $"""
                # the thin manifest of cip-test
                registries:
                - name: {staging.Staging}
                  src: true
                - name: {staging.Registry.Host}/prod

                """);
            Write(seed, ImagesFile, images);
            Write(seed, "README.md", "k8s.io, as the tests seed it\n");
            Commands.Stage(repository, "*");
            var commit = repository.Commit("seed", Seeder, Seeder);
            repository.Branches.Add("main", commit);
            repository.Network.Remotes.Add("origin", Upstream);
            repository.Network.Push(repository.Network.Remotes["origin"], "refs/heads/main:refs/heads/main");
        }
        using (var upstream = new Repository(Upstream)) upstream.Refs.UpdateTarget(upstream.Refs.Head, "refs/heads/main");
        Repository.Clone(Upstream, Fork, new CloneOptions { IsBare = true });
        Repository.Clone(Upstream, Clone);
    }

    private static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private HostRunner.Result Run(string tokenVariable, params string[] extra) => RunWithToken(tokenVariable, null, extra);

    /// <summary>Runs PromotionPR as a child process with <paramref name="token"/> in <paramref name="tokenVariable"/> (none when null).</summary>
    private HostRunner.Result RunWithToken(string tokenVariable, string? token, params string[] extra)
    {
        var result = BuildProgram.RunWith(new Dictionary<string, string?> { [tokenVariable] = token }, ["--target", "PromotionPR", "--project=cip-test", $"--staging-repo={staging.Staging}", $"--k8s-io-repo={Clone}",
            $"--fork={Fork}", $"--github-api-url={_github.Url}", $"--github-token-env={tokenVariable}", "--git-author=Test Robot <robot@example.test>",
            "--reviewers=@kubernetes/release-engineering,bob", .. extra]);
        output.WriteLine($"$ PromotionPR {string.Join(" ", extra)}\n{result.Output}");
        return result;
    }

    private static string Git(params string[] args) => ExternalTool.Check("git", args);

    private static IReadOnlyList<string> Branches(string repository)
    {
        using var repo = new Repository(repository);
        return repo.Branches.Where(b => !b.IsRemote).Select(b => b.FriendlyName).Order().ToList();
    }

    private async Task<string> StagingDigest(string image, string tag)
    {
        using var client = staging.Registry.CreateClient();
        return (await client.HeadManifestAsync($"k8s-staging-cip-test/{image}", tag))!.Digest.Value;
    }

    [Fact]
    public async Task Dry_run_shows_the_edit_then_confirm_pushes_opens_the_pull_request_and_a_rerun_after_the_merge_adds_nothing()
    {
        var bar = await StagingDigest("golden-bar/bar", "1.0");
        var foo = await StagingDigest("golden-foo/foo", "1.0");
        CreateRepositories(ImagesYaml(bar));
        var before = File.ReadAllText(Path.Combine(Clone, ImagesFile));
        const string token = "ghp_recorded-test-token-0123456789";
        const string variable = "PROMOTION_PR_TEST_TOKEN";

        // Dry run: the diff, title and body; nothing written anywhere.
        var dry = Run(variable, "--tag=1.0");
        dry.ExitCode.Should().Be(0, dry.Output);
        dry.Output.Should().Contain($"--- a/{ImagesFile}").And.Contain($"+++ b/{ImagesFile}")
            .And.Contain($"-    \"{bar}\": [\"0.1\"]").And.Contain($"+    \"{bar}\": [\"0.1\", \"1.0\"]")
            .And.Contain("+- name: golden-foo/foo").And.Contain($"+    \"{foo}\": [\"1.0\"]")
            .And.Contain("title: Image promotion for cip-test 1.0").And.Contain($"head: alice:{Branch} -> kubernetes/k8s.io main")
            .And.Contain($"| golden-bar/bar | 1.0 | `{bar}` | `{staging.Staging}/golden-bar/bar@{bar}` |")
            .And.Contain("Dry run: nothing was written");
        Branches(Clone).Should().Equal("main");
        Branches(Fork).Should().Equal("main");
        File.ReadAllText(Path.Combine(Clone, ImagesFile)).Should().Be(before);
        new Repository(Clone).Network.Remotes.Select(r => r.Name).Should().Equal("origin");
        _github.Requests.Should().BeEmpty();

        // --confirm: commit, push to the fork, pull request and reviewers through Octokit.
        var live = RunWithToken(variable, token, "--tag=1.0", "--confirm");
        live.ExitCode.Should().Be(0, live.Output);
        live.Output.Should().Contain($"pushed {Branch}").And.Contain("opened pull request #7").And.NotContain(token);
        Branches(Fork).Should().Equal(Branch, "main");
        var log = Git("--git-dir", Fork, "log", "-p", $"main..{Branch}");
        output.WriteLine($"$ git --git-dir=<fork> log -p main..{Branch}\n{log}");
        log.Should().Contain("Author: Test Robot <robot@example.test>").And.Contain("Image promotion for cip-test 1.0")
            .And.Contain($"+    \"{bar}\": [\"0.1\", \"1.0\"]").And.Contain("+- name: golden-foo/foo");
        Git("--git-dir", Fork, "diff", "--numstat", "main", Branch).Should().Be($"4\t1\t{ImagesFile}\n", "one line changed, one image added, nothing else");
        Git("--git-dir", Fork, "show", $"{Branch}:{ImagesFile}").Should().StartWith("# cip-test's images: the edit keeps this comment");
        File.ReadAllText(Path.Combine(Clone, ImagesFile)).Should().Be(before, "the commit is made in the object store; the working tree is left alone");

        // The pushed branch's thin-manifest directory passes Promote --parse-only.
        var exported = Path.Combine(_root, "exported");
        Build.Tools.Git.GitTreeExport.Export(Fork, Branch, "registry.k8s.io", exported).Should().BeTrue();
        var parse = BuildProgram.Run("--target", "Promote", $"--thin-manifest-dir={Path.Combine(exported, "registry.k8s.io")}", "--parse-only");
        output.WriteLine($"$ Promote --thin-manifest-dir=<pushed branch>/registry.k8s.io --parse-only\n{parse.Output}");
        parse.ExitCode.Should().Be(0, parse.Output);
        parse.Output.Should().Contain("is valid (5 edge(s)); no registry was contacted");

        // The recorded requests: the pull request, then its reviewers.
        var requests = _github.Requests;
        foreach (var request in requests) output.WriteLine($"recorded: {request.Method} {request.Path}\n{request.Body}");
        requests.Select(r => $"{r.Method} {r.Path}").Should().Equal(
            "POST /api/v3/repos/kubernetes/k8s.io/pulls", "POST /api/v3/repos/kubernetes/k8s.io/pulls/7/requested_reviewers");
        requests.Should().OnlyContain(r => r.Authorization == $"Token {token}");
        using (var pull = System.Text.Json.JsonDocument.Parse(requests[0].Body))
        {
            pull.RootElement.GetProperty("title").GetString().Should().Be("Image promotion for cip-test 1.0");
            pull.RootElement.GetProperty("head").GetString().Should().Be($"alice:{Branch}");
            pull.RootElement.GetProperty("base").GetString().Should().Be("main");
            pull.RootElement.GetProperty("body").GetString().Should()
                .Contain($"| golden-bar/bar | 1.0 | `{bar}` | `{staging.Staging}/golden-bar/bar@{bar}` |")
                .And.Contain($"| golden-foo/foo | 1.0 | `{foo}` | `{staging.Staging}/golden-foo/foo@{foo}` |")
                .And.Contain("/hold\ncc: @kubernetes/release-engineering bob");
        }
        using (var reviewers = System.Text.Json.JsonDocument.Parse(requests[1].Body))
        {
            reviewers.RootElement.GetProperty("reviewers").EnumerateArray().Select(e => e.GetString()).Should().Equal("bob");
            reviewers.RootElement.GetProperty("team_reviewers").EnumerateArray().Select(e => e.GetString()).Should().Equal("release-engineering");
        }

        // The pull request merged upstream (the fork's branch fetched into main): a rerun adds nothing and says so.
        Git("--git-dir", Upstream, "fetch", "--update-head-ok", Fork, $"refs/heads/{Branch}:refs/heads/main");
        var rerun = Run(variable, "--tag=1.0", "--confirm");
        rerun.ExitCode.Should().Be(0, rerun.Output);
        rerun.Output.Should().Contain($"nothing to add: {ImagesFile} already holds every tag asked for (golden-bar/bar:1.0, golden-foo/foo:1.0)");
        _github.Requests.Should().HaveCount(2, "a rerun opens no pull request");
    }

    [Fact]
    public async Task A_tag_move_against_the_committed_snapshot_of_production_is_refused_before_any_git_write()
    {
        var bar = await StagingDigest("golden-bar/bar", "1.0");
        CreateRepositories(ImagesYaml(bar));
        // Production already holds golden-bar/bar:1.0 on another digest: the file does not show it, its snapshot does.
        var snapshot = Path.Combine(_root, "prod-snapshot.yaml");
        File.WriteAllText(snapshot, $"- name: golden-bar/bar\n  dmap:\n    \"{Other}\": [\"1.0\"]\n");
        var forkBefore = Git("--git-dir", Fork, "for-each-ref");

        var refused = Run("PROMOTION_PR_UNSET_TOKEN", "--tag=1.0", "--image=golden-bar/bar", "--confirm",
            $"--against-snapshot={staging.Registry.Host}/prod={snapshot}");

        refused.ExitCode.Should().Be(1, refused.Output);
        refused.Output.Should().Contain("edge(s) refused against the committed snapshots; no pull request was made")
            .And.Contain($"REFUSED tag move: {staging.Registry.Host}/prod/golden-bar/bar:1.0 points at {Other}, not {bar}");
        Branches(Clone).Should().Equal("main");
        Git("--git-dir", Fork, "for-each-ref").Should().Be(forkBefore);
        _github.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_tag_move_is_refused_before_any_git_write()
    {
        var bar = await StagingDigest("golden-bar/bar", "1.0");
        CreateRepositories(ImagesYaml(bar).Replace("\"0.1\"", "\"1.0\"").Replace($"\"{bar}\"", $"\"{Other}\""));
        var forkBefore = Git("--git-dir", Fork, "for-each-ref");

        var refused = Run("PROMOTION_PR_UNSET_TOKEN", "--tag=1.0", "--confirm");

        refused.ExitCode.Should().Be(1, refused.Output);
        refused.Output.Should().Contain("1 tag move(s) refused; no pull request was made")
            .And.Contain($"REFUSED tag move: golden-bar/bar:1.0 is {Other} in the file; staging has it on {bar}");
        Branches(Clone).Should().Equal("main");
        Git("--git-dir", Fork, "for-each-ref").Should().Be(forkBefore);
        new Repository(Clone).Network.Remotes.Select(r => r.Name).Should().Equal("origin");
        _github.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Without_a_token_confirm_pushes_the_branch_and_prints_the_compare_url()
    {
        var amd64 = await StagingDigest("golden-foo/foo", "1.0-linux_amd64");
        CreateRepositories(ImagesYaml(await StagingDigest("golden-bar/bar", "1.0")));

        // --image and --tag repeated, in both argument forms.
        var result = Run("PROMOTION_PR_UNSET_TOKEN", "--image=golden-foo/foo", "--tag", "1.0-linux_amd64", "--tag=1.0-linux_s390x", "--branch=foo-arch", "--confirm");

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain("title: Image promotion for cip-test 1.0-linux_amd64 / 1.0-linux_s390x")
            .And.Contain($"+    \"{amd64}\": [\"1.0-linux_amd64\"]")
            .And.Contain($"no GitHub token in $PROMOTION_PR_UNSET_TOKEN: open the pull request at http://127.0.0.1:{_github.Port}/kubernetes/k8s.io/compare/main...alice:foo-arch?expand=1");
        Branches(Fork).Should().Equal("foo-arch", "main");
        _github.Requests.Should().BeEmpty();
    }
}
