using Build.Tests.Tools.Git;
using FluentAssertions;
using Promoter.Releases;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.PromoteRelease;

/// <summary>
/// The release gates over scripted histories in real git repositories: each row builds a history, sets the CI
/// environment a job would see, resolves the range through the build program's git layer (LibGit2Sharp) and checks every gate.
/// </summary>
[LongRunning]
public sealed class ReleaseDecisionTableTests : IDisposable
{
    private readonly List<IDisposable> _cleanup = [];

    public void Dispose()
    {
        foreach (var item in _cleanup) item.Dispose();
    }

    /// <summary>What a row sets up: the repository, the job's environment, and the options.</summary>
    private sealed record Setup(ScriptedRepository Repository, Dictionary<string, string> Environment, string? Since = null, bool AllowPrerelease = false);

    /// <summary>The expected outcome of a row.</summary>
    private sealed record Expected(ChangeKind Changes, bool Build, bool Push, bool Promote, string PromoteReason);

    private static Dictionary<string, string> Prow(string jobType, params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string> { ["JOB_TYPE"] = jobType, ["PROW_JOB_ID"] = "0f1e2d3c" };
        foreach (var (name, value) in variables) environment[name] = value;
        return environment;
    }

    private static Dictionary<string, string> ProwPostsubmit(string pushed) =>
        Prow("postsubmit", ("PULL_BASE_SHA", pushed), ("PULL_BASE_REF", "main"), ("PULL_REFS", $"main:{pushed}"));

    private static Dictionary<string, string> GitHubPush(ScriptedRepository repository, string before, string after)
    {
        var path = Path.Combine(repository.Path, ".git", "event.json");
        File.WriteAllText(path, $$$"""{"ref":"refs/heads/main","before":"{{{before}}}","after":"{{{after}}}"}""");
        return new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_EVENT_NAME"] = "push", ["GITHUB_EVENT_PATH"] = path };
    }

    private static readonly Dictionary<string, (Func<Setup> Arrange, Expected Expected)> Rows = new()
    {
        ["postsubmit: VERSION-only bump on main"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var bump = repo.Commit("Bump to 1.1.0", ("VERSION", "1.1.0\n"));
            return new Setup(repo, ProwPostsubmit(bump));
        }, new Expected(ChangeKind.VersionOnly, Build: false, Push: false, Promote: true, "from 1.0.0 to 1.1.0")),

        ["postsubmit: bump plus code"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var bump = repo.Commit("Feature and bump", ("VERSION", "1.1.0\n"), ("src/app.txt", "app 2\n"));
            return new Setup(repo, ProwPostsubmit(bump));
        }, new Expected(ChangeKind.VersionAndOther, Build: true, Push: true, Promote: true, "tag v1.1.0 does not exist yet")),

        ["postsubmit: code only"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var code = repo.Commit("Fix", ("src/app.txt", "app 2\n"));
            return new Setup(repo, ProwPostsubmit(code));
        }, new Expected(ChangeKind.OtherOnly, Build: true, Push: true, Promote: false, "VERSION did not change")),

        ["postsubmit: VERSION in a subfolder is ordinary code"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var code = repo.Commit("Vendored version", ("third_party/VERSION", "9.9.9\n"));
            return new Setup(repo, ProwPostsubmit(code));
        }, new Expected(ChangeKind.OtherOnly, Build: true, Push: true, Promote: false, "VERSION did not change")),

        ["postsubmit: merge commit is diffed against its first parent"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            repo.Git("switch", "--quiet", "-c", "feature");
            repo.Commit("Feature", ("src/feature.txt", "feature\n"));
            repo.Commit("Bump", ("VERSION", "1.1.0\n"));
            repo.Git("switch", "--quiet", "main");
            repo.Commit("Docs on main", ("docs/readme.md", "docs\n"));
            repo.Git("merge", "--quiet", "--no-ff", "-m", "Merge feature", "feature");
            return new Setup(repo, ProwPostsubmit(repo.Head));
        }, new Expected(ChangeKind.VersionAndOther, Build: true, Push: true, Promote: true, "from 1.0.0 to 1.1.0")),

        ["postsubmit: multi-commit push"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var before = repo.Head;
            repo.Commit("Code", ("src/app.txt", "app 2\n"));
            repo.Commit("Bump", ("VERSION", "1.2.0\n"));
            var after = repo.Commit("More code", ("src/other.txt", "other\n"));
            return new Setup(repo, GitHubPush(repo, before, after));
        }, new Expected(ChangeKind.VersionAndOther, Build: true, Push: true, Promote: true, "from 1.0.0 to 1.2.0")),

        ["postsubmit: multi-commit push of VERSION bumps only"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var before = repo.Head;
            repo.Commit("Bump", ("VERSION", "1.0.1\n"));
            var after = repo.Commit("Bump again", ("VERSION", "1.1.0\n"));
            return new Setup(repo, GitHubPush(repo, before, after));
        }, new Expected(ChangeKind.VersionOnly, Build: false, Push: false, Promote: true, "from 1.0.0 to 1.1.0")),

        ["postsubmit: push creating a new branch uses the first parent"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var after = repo.Commit("Bump", ("VERSION", "v1.0.1\n"));
            return new Setup(repo, GitHubPush(repo, RangeRequest.NullSha, after));
        }, new Expected(ChangeKind.VersionOnly, Build: false, Push: false, Promote: true, "from 1.0.0 to 1.0.1 in")),

        ["postsubmit: empty commit"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var empty = repo.Commit("Retrigger");
            return new Setup(repo, ProwPostsubmit(empty));
        }, new Expected(ChangeKind.Nothing, Build: false, Push: false, Promote: false, "VERSION did not change")),

        ["postsubmit: downgrade"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var bump = repo.Commit("Oops", ("VERSION", "0.9.0\n"));
            return new Setup(repo, ProwPostsubmit(bump));
        }, new Expected(ChangeKind.VersionOnly, Build: false, Push: false, Promote: false, "went from 1.0.0 to 0.9.0: a release must be greater")),

        ["postsubmit: same version rewritten"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var bump = repo.Commit("Add the v", ("VERSION", "v1.0.0\n"));
            return new Setup(repo, ProwPostsubmit(bump));
        }, new Expected(ChangeKind.VersionOnly, Build: false, Push: false, Promote: false, "went from 1.0.0 to 1.0.0")),

        ["postsubmit: invalid version"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var bump = repo.Commit("Bad bump", ("VERSION", "1.1\n"));
            return new Setup(repo, ProwPostsubmit(bump));
        }, new Expected(ChangeKind.VersionOnly, Build: false, Push: false, Promote: false, "'1.1' is not a valid version")),

        ["postsubmit: VERSION deleted"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var gone = repo.Commit("Remove VERSION", ("VERSION", null));
            return new Setup(repo, ProwPostsubmit(gone));
        }, new Expected(ChangeKind.VersionOnly, Build: false, Push: false, Promote: false, "VERSION was deleted")),

        ["postsubmit: rerun after the tag was pushed"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var bump = repo.Commit("Bump", ("VERSION", "1.1.0\n"));
            repo.Git("tag", "v1.1.0", bump);
            return new Setup(repo, ProwPostsubmit(bump));
        }, new Expected(ChangeKind.VersionOnly, Build: false, Push: false, Promote: false, "tag v1.1.0 already exists")),

        ["postsubmit: pre-release refused"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var bump = repo.Commit("RC", ("VERSION", "1.1.0-rc.1\n"));
            return new Setup(repo, ProwPostsubmit(bump));
        }, new Expected(ChangeKind.VersionOnly, Build: false, Push: false, Promote: false, "1.1.0-rc.1 is a pre-release; pass --allow-prerelease")),

        ["postsubmit: pre-release allowed with the option"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var bump = repo.Commit("RC", ("VERSION", "1.1.0-rc.1\n"));
            return new Setup(repo, ProwPostsubmit(bump), AllowPrerelease: true);
        }, new Expected(ChangeKind.VersionOnly, Build: false, Push: false, Promote: true, "tag v1.1.0-rc.1 does not exist yet")),

        ["presubmit: pull request bumping VERSION and code"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var main = repo.Head;
            repo.Git("switch", "--quiet", "-c", "pr");
            var pull = repo.Commit("Feature and bump", ("VERSION", "1.1.0\n"), ("src/app.txt", "app 2\n"));
            return new Setup(repo, Prow("presubmit", ("PULL_REFS", $"main:{main},42:{pull}")));
        }, new Expected(ChangeKind.VersionAndOther, Build: true, Push: false, Promote: false, "presubmit: only postsubmit jobs and local runs release")),

        ["presubmit: branch behind main is diffed from the merge base"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            repo.Git("switch", "--quiet", "-c", "pr");
            var pull = repo.Commit("Bump", ("VERSION", "1.1.0\n"));
            repo.Git("switch", "--quiet", "main");
            var main = repo.Commit("Code on main", ("src/app.txt", "app 2\n"));
            return new Setup(repo, Prow("presubmit", ("PULL_BASE_SHA", main), ("PULL_PULL_SHA", pull), ("PULL_REFS", $"main:{main},7:{pull}")));
        }, new Expected(ChangeKind.VersionOnly, Build: true, Push: false, Promote: false, "presubmit: only postsubmit jobs")),

        ["batch: merged pull requests"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            var main = repo.Head;
            repo.Commit("PR 1", ("src/one.txt", "1\n"));
            repo.Commit("PR 2", ("VERSION", "1.1.0\n"));
            return new Setup(repo, Prow("batch", ("PULL_BASE_SHA", main), ("PULL_REFS", $"main:{main},1:{repo.Git("rev-parse", "HEAD~1")},2:{repo.Head}")));
        }, new Expected(ChangeKind.VersionAndOther, Build: true, Push: false, Promote: false, "batch: only postsubmit jobs")),

        ["periodic: last commit bumped VERSION"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            repo.Commit("Bump", ("VERSION", "1.1.0\n"));
            return new Setup(repo, Prow("periodic"));
        }, new Expected(ChangeKind.VersionOnly, Build: true, Push: true, Promote: false, "periodic: only postsubmit jobs")),

        ["local: --since a tag over several commits"] = (() =>
        {
            var repo = ScriptedRepository.CreateReleased();
            repo.Commit("Bump", ("VERSION", "2.0.0\n"));
            repo.Commit("Code", ("src/app.txt", "app 2\n"));
            return new Setup(repo, new Dictionary<string, string>(), Since: "v1.0.0");
        }, new Expected(ChangeKind.VersionAndOther, Build: true, Push: true, Promote: true, "from 1.0.0 to 2.0.0")),

        ["local: the first commit of a repository"] = (() =>
        {
            var repo = ScriptedRepository.CreateEmpty();
            repo.Commit("Initial", ("VERSION", "0.1.0\n"), ("src/app.txt", "app\n"));
            return new Setup(repo, new Dictionary<string, string>());
        }, new Expected(ChangeKind.VersionAndOther, Build: true, Push: true, Promote: true, "from no previous VERSION to 0.1.0")),
    };

    public static TheoryData<string> RowNames() => new(Rows.Keys);

    [Theory]
    [MemberData(nameof(RowNames))]
    public void Decides_each_gate(string row)
    {
        var (arrange, expected) = Rows[row];
        var setup = arrange();
        _cleanup.Add(setup.Repository);
        var git = setup.Repository.Tool();

        var range = CommitRange.FromEnvironment(setup.Environment, git, setup.Since);
        var decision = ReleaseGates.Decide(git, range, new ReleaseOptions(setup.AllowPrerelease));

        var because = decision.Describe();
        decision.Changes.Should().Be(expected.Changes, because);
        decision.BuildImages.Allowed.Should().Be(expected.Build, because);
        decision.PushImages.Allowed.Should().Be(expected.Push, because);
        decision.PromoteRelease.Allowed.Should().Be(expected.Promote, because);
        decision.PromoteRelease.Reason.Should().Contain(expected.PromoteReason, because);
        foreach (var gate in new[] { decision.BuildImages, decision.PushImages, decision.PromoteRelease })
            gate.Reason.Should().NotContainAny("\n", "\r").And.NotBeNullOrWhiteSpace();
    }

    [Theory]
    [MemberData(nameof(RowNames))]
    public void The_addins_git_command_reading_decides_as_LibGit2Sharp_does(string row)
    {
        var setup = Rows[row].Arrange();
        _cleanup.Add(setup.Repository);
        IGitRepository libgit2 = setup.Repository.Tool();
        IGitRepository command = new Cake.ImagePromoter.GitCommandRepository(setup.Repository.Path, remote: null);
        var options = new ReleaseOptions(setup.AllowPrerelease);

        var expected = ReleaseGates.Decide(libgit2, CommitRange.FromEnvironment(setup.Environment, libgit2, setup.Since), options);
        var actual = ReleaseGates.Decide(command, CommitRange.FromEnvironment(setup.Environment, command, setup.Since), options);

        actual.Describe().Should().Be(expected.Describe());
        actual.ChangedFiles.Should().Equal(expected.ChangedFiles);
        actual.Version?.ToString().Should().Be(expected.Version?.ToString());
        command.ParentsOf(actual.Range.HeadSha).Should().Equal(libgit2.ParentsOf(actual.Range.HeadSha));
        command.IsShallow().Should().Be(libgit2.IsShallow());
    }

    [Fact]
    public void Merge_commit_lists_the_files_the_merge_brought_in()
    {
        using var repo = ScriptedRepository.CreateReleased();
        repo.Git("switch", "--quiet", "-c", "feature");
        repo.Commit("Feature", ("src/feature.txt", "feature\n"), ("VERSION", "1.1.0\n"));
        repo.Git("switch", "--quiet", "main");
        var mainBefore = repo.Commit("Docs on main", ("docs/readme.md", "docs\n"));
        repo.Git("merge", "--quiet", "--no-ff", "-m", "Merge feature", "feature");
        var git = repo.Tool();

        var range = CommitRange.FromEnvironment(ProwPostsubmit(repo.Head), git);
        var decision = ReleaseGates.Decide(git, range);

        range.BaseSha.Should().Be(mainBefore);
        range.HeadSha.Should().Be(repo.Head);
        decision.ChangedFiles.Should().BeEquivalentTo("VERSION", "src/feature.txt");
        git.ParentsOf(repo.Head).Should().Equal(mainBefore, repo.Git("rev-parse", "feature"));
    }

    [Fact]
    public void Presubmit_behind_main_compares_the_version_with_main_but_diffs_from_the_merge_base()
    {
        using var repo = ScriptedRepository.CreateReleased();
        var forkPoint = repo.Head;
        repo.Git("switch", "--quiet", "-c", "pr");
        var pull = repo.Commit("Bump", ("VERSION", "1.1.0\n"));
        repo.Git("switch", "--quiet", "main");
        var main = repo.Commit("Release 1.2.0 on main", ("VERSION", "1.2.0\n"));
        var git = repo.Tool();

        var range = CommitRange.FromEnvironment(Prow("presubmit", ("PULL_BASE_SHA", main), ("PULL_PULL_SHA", pull)), git);
        var decision = ReleaseGates.Decide(git, range);

        decision.DiffBase.Should().Be(forkPoint);
        decision.ChangedFiles.Should().Equal("VERSION");
        decision.PreviousVersion!.ToString().Should().Be("1.2.0");
        decision.Version!.ToString().Should().Be("1.1.0");
    }
}
