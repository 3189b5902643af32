using Build.Flows;
using FluentAssertions;
using Promoter.Releases;
using Xunit;

namespace Build.Tests.Tools.Git;

/// <summary>
/// The release tag is looked up on the remote too: a CI clone fetched without tags must not release a version
/// tagged upstream, and a remote that cannot be read is an error that names it, never a silent "no tag".
/// </summary>
public sealed class RemoteTagTests : IDisposable
{
    private readonly ScriptedRepository _work;
    private readonly ScriptedRepository _upstream;
    private readonly ScriptedRepository _clone;
    private readonly string _bump;

    /// <summary>Upstream (a bare repository) holds a bump to 1.2.0 tagged v1.2.0; the clone was made with <c>--no-tags</c>.</summary>
    public RemoteTagTests()
    {
        _work = ScriptedRepository.CreateReleased();
        _bump = _work.Commit("Bump", ("VERSION", "1.2.0\n"));
        _work.Git("tag", "v1.2.0");
        _upstream = _work.Clone("--bare");
        _clone = _upstream.Clone("--no-tags");
    }

    public void Dispose()
    {
        _clone.Dispose();
        _upstream.Dispose();
        _work.Dispose();
    }

    private static Dictionary<string, string> Postsubmit(string pushed) =>
        new() { ["JOB_TYPE"] = "postsubmit", ["PULL_BASE_SHA"] = pushed, ["PULL_REFS"] = $"main:{pushed}" };

    private ReleaseDecision Decide(string? remote) =>
        ReleaseGates.Decide(_clone.Tool(remote), CommitRange.FromEnvironment(Postsubmit(_bump), _clone.Tool(remote)));

    [Fact]
    public void A_clone_without_tags_skips_a_version_tagged_upstream()
    {
        _clone.Git("tag", "--list").Should().BeEmpty("the clone was made with --no-tags");
        _upstream.Git("tag", "--list", "v1.2.0").Should().Be("v1.2.0");

        var decision = Decide(remote: "origin");

        decision.PromoteRelease.Allowed.Should().BeFalse(decision.Describe());
        decision.PromoteRelease.Refusal.Should().Be(ReleaseRefusal.AlreadyTagged);
        decision.PromoteRelease.Reason.Should().Be("tag v1.2.0 already exists: 1.2.0 was released before");
        ReleaseGate.FromDecision(decision).Mode.Should().Be(ReleaseMode.Skip);
    }

    [Fact]
    public void Local_tags_alone_would_release_it_again()
    {
        // What the remote lookup prevents: without it the clone sees no tag and releases 1.2.0 a second time.
        Decide(remote: null).PromoteRelease.Allowed.Should().BeTrue();
        _clone.Tool(remote: "upstream").TagExists("v1.2.0").Should().BeFalse("the clone has no remote of that name, so only local tags count");
    }

    [Fact]
    public void An_unreachable_remote_is_an_error_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "releases-gone-" + Guid.NewGuid().ToString("N"));
        _clone.Git("remote", "set-url", "origin", missing);

        var tagExists = () => _clone.Tool().TagExists("v1.2.0");
        var decide = () => Decide(remote: "origin");

        tagExists.Should().Throw<GitException>()
            .Which.Message.Should().StartWith($"git: cannot list the tags of remote 'origin' ({missing}) to see whether tag v1.2.0 exists there:");
        decide.Should().Throw<GitException>().Which.Message.Should().Contain("remote 'origin'");
    }

    [Fact]
    public void A_local_tag_is_found_without_asking_the_remote()
    {
        _clone.Git("remote", "set-url", "origin", Path.Combine(Path.GetTempPath(), "releases-gone-" + Guid.NewGuid().ToString("N")));
        _clone.Git("tag", "v1.2.0");

        _clone.Tool().TagExists("v1.2.0").Should().BeTrue();
    }

    [Fact]
    public void A_tag_absent_locally_and_upstream_does_not_exist()
    {
        _clone.Tool().TagExists("v1.3.0").Should().BeFalse();
        _clone.Tool().TagExists("v1.0.0").Should().BeTrue("upstream has it");
    }
}
