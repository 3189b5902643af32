using FluentAssertions;
using Promoter.Releases;
using Xunit;

namespace Build.Tests.Tools.Git;

/// <summary>A shallow clone (<c>git clone --depth 1 file://...</c>) that lacks the range base.</summary>
public sealed class ShallowCloneTests : IDisposable
{
    private readonly ScriptedRepository _origin;
    private readonly ScriptedRepository _clone;
    private readonly string _before;
    private readonly string _after;

    public ShallowCloneTests()
    {
        _origin = ScriptedRepository.CreateReleased();
        _before = _origin.Commit("Code", ("src/app.txt", "app 2\n"));
        _after = _origin.Commit("Bump", ("VERSION", "1.1.0\n"));
        _clone = _origin.ShallowClone(depth: 1);
    }

    public void Dispose()
    {
        _clone.Dispose();
        _origin.Dispose();
    }

    private Dictionary<string, string> Postsubmit() =>
        new() { ["JOB_TYPE"] = "postsubmit", ["PULL_BASE_SHA"] = _after, ["PULL_REFS"] = $"main:{_after}" };

    [Fact]
    public void Clone_is_shallow_and_lacks_the_parent()
    {
        var git = _clone.Tool();

        git.IsShallow().Should().BeTrue();
        git.CommitExists(_after).Should().BeTrue();
        git.CommitExists(_before).Should().BeFalse();
        git.ParentsOf(_after).Should().Equal(_before);
        _origin.Tool().IsShallow().Should().BeFalse();
    }

    [Fact]
    public void Postsubmit_names_the_missing_first_parent_and_the_fix()
    {
        var resolve = () => CommitRange.FromEnvironment(Postsubmit(), _clone.Tool());

        var error = resolve.Should().Throw<MissingCommitException>().Which;
        error.Commit.Should().Be(_before);
        error.Shallow.Should().BeTrue();
        error.Message.Should().Contain(_before).And.Contain("git fetch --deepen=").And.Contain("git fetch --unshallow");
    }

    [Fact]
    public void Push_event_names_the_missing_before_commit()
    {
        var path = Path.Combine(_clone.Path, ".git", "event.json");
        File.WriteAllText(path, $$$"""{"before":"{{{_before}}}","after":"{{{_after}}}"}""");
        var environment = new Dictionary<string, string> { ["GITHUB_EVENT_NAME"] = "push", ["GITHUB_EVENT_PATH"] = path };

        var resolve = () => CommitRange.FromEnvironment(environment, _clone.Tool());

        resolve.Should().Throw<MissingCommitException>()
            .Which.Message.Should().StartWith($"Commit {_before} (before in GITHUB_EVENT_PATH) is not in this clone").And.Contain("--deepen");
    }

    [Fact]
    public void Since_a_revision_beyond_the_shallow_history_names_it()
    {
        var resolve = () => CommitRange.FromEnvironment(new Dictionary<string, string>(), _clone.Tool(), since: "HEAD~1");

        resolve.Should().Throw<MissingCommitException>().Which.Message.Should().Contain("HEAD~1 (--since)").And.Contain("--unshallow");
    }

    [Fact]
    public void A_linked_worktree_of_the_clone_is_shallow_too()
    {
        // git keeps the shallow file in the main git directory; libgit2 alone would look in the worktree's.
        var folder = Path.Combine(Path.GetTempPath(), "releases-worktree-" + Guid.NewGuid().ToString("N"));
        _clone.Git("worktree", "add", "--quiet", "--detach", folder);
        try
        {
            var git = new Build.Tools.Git.GitRepository(folder);

            git.IsShallow().Should().BeTrue();
            git.ParentsOf(_after).Should().Equal(_before);
            var resolve = () => CommitRange.FromEnvironment(Postsubmit(), git);
            resolve.Should().Throw<MissingCommitException>().Which.Shallow.Should().BeTrue();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Deepening_as_the_error_says_makes_the_range_resolve()
    {
        _clone.Git("fetch", "--quiet", "--deepen=1");
        var git = _clone.Tool();

        var range = CommitRange.FromEnvironment(Postsubmit(), git);
        var decision = ReleaseGates.Decide(git, range);

        range.BaseSha.Should().Be(_before);
        decision.Changes.Should().Be(ChangeKind.VersionOnly);
        decision.PromoteRelease.Allowed.Should().BeTrue(decision.Describe());
    }
}
