using FluentAssertions;
using Promoter.Releases;
using Xunit;

namespace Promoter.Tests.Releases;

public sealed class RangeRequestTests : IDisposable
{
    private const string Base = "1111111111111111111111111111111111111111";
    private const string Pull = "2222222222222222222222222222222222222222";
    private const string After = "3333333333333333333333333333333333333333";

    private readonly string _folder = Directory.CreateTempSubdirectory("range-request-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Dictionary<string, string> Env(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);

    private Dictionary<string, string> GitHub(string eventName, string payload)
    {
        var path = Path.Combine(_folder, "event.json");
        File.WriteAllText(path, payload);
        return Env(("GITHUB_EVENT_NAME", eventName), ("GITHUB_EVENT_PATH", path), ("GITHUB_ACTIONS", "true"));
    }

    [Fact]
    public void No_ci_variables_is_a_local_run_of_the_last_commit()
    {
        var request = RangeRequest.FromEnvironment(Env(("HOME", "/root")));

        request.Should().Be(new RangeRequest(JobKind.Local, null, "HEAD", "the first parent of HEAD", "HEAD"));
    }

    [Fact]
    public void Prow_presubmit_uses_base_and_pull_shas()
    {
        var request = RangeRequest.FromEnvironment(Env(
            ("JOB_TYPE", "presubmit"), ("PULL_BASE_SHA", Base), ("PULL_PULL_SHA", Pull), ("PULL_REFS", $"main:{Base},42:{Pull}")));

        request.Job.Should().Be(JobKind.Presubmit);
        request.BaseRev.Should().Be(Base);
        request.HeadRev.Should().Be(Pull);
        request.BaseOrigin.Should().Be("PULL_BASE_SHA");
    }

    [Fact]
    public void Prow_presubmit_falls_back_to_pull_refs()
    {
        var request = RangeRequest.FromEnvironment(Env(("JOB_TYPE", "presubmit"), ("PULL_REFS", "main:abc123,42:def456")));

        request.Job.Should().Be(JobKind.Presubmit);
        request.BaseRev.Should().Be("abc123");
        request.HeadRev.Should().Be("def456");
        request.BaseOrigin.Should().Be("PULL_REFS");
        request.HeadOrigin.Should().Be("PULL_REFS");
    }

    [Fact]
    public void Pull_refs_parse_base_and_every_pull()
    {
        var refs = RangeRequest.ParsePullRefs("release-1.2:abc123,42:def456,7:0123abcd:refs/pull/7/head");

        refs.BaseRef.Should().Be("release-1.2");
        refs.BaseSha.Should().Be("abc123");
        refs.PullShas.Should().Equal("def456", "0123abcd");
    }

    [Theory]
    [InlineData("main")]
    [InlineData("main:xyz")]
    [InlineData("main:abc123,notanumber:def456")]
    [InlineData("main:abc123,42")]
    [InlineData(":abc123")]
    public void Malformed_pull_refs_are_named_in_the_error(string text)
    {
        var parse = () => RangeRequest.ParsePullRefs(text);

        parse.Should().Throw<FormatException>().Which.Message.Should().Contain($"PULL_REFS='{text}'").And.Contain("expected base_ref:base_sha");
    }

    [Fact]
    public void Prow_presubmit_with_several_pulls_is_refused()
    {
        var read = () => RangeRequest.FromEnvironment(Env(("JOB_TYPE", "presubmit"), ("PULL_REFS", "main:abc123,42:def456,43:fed654")));

        read.Should().Throw<FormatException>().WithMessage("*PULL_REFS names 2 pull requests*");
    }

    [Fact]
    public void Prow_presubmit_without_a_pull_commit_is_refused()
    {
        var read = () => RangeRequest.FromEnvironment(Env(("JOB_TYPE", "presubmit"), ("PULL_BASE_SHA", Base)));

        read.Should().Throw<FormatException>().WithMessage("*neither PULL_PULL_SHA nor PULL_REFS*");
    }

    [Fact]
    public void Prow_batch_is_base_to_the_merged_head()
    {
        var request = RangeRequest.FromEnvironment(Env(("JOB_TYPE", "batch"), ("PULL_REFS", $"main:{Base},1:aaaa1111,2:bbbb2222")));

        request.Should().Be(new RangeRequest(JobKind.Batch, Base, "HEAD", "PULL_REFS", "HEAD"));
    }

    [Fact]
    public void Prow_postsubmit_is_the_pushed_commit_against_its_first_parent()
    {
        var request = RangeRequest.FromEnvironment(Env(("JOB_TYPE", "postsubmit"), ("PULL_BASE_SHA", After), ("PULL_REFS", $"main:{After}")));

        request.Job.Should().Be(JobKind.Postsubmit);
        request.BaseRev.Should().BeNull();
        request.HeadRev.Should().Be(After);
    }

    [Fact]
    public void Prow_periodic_is_the_last_commit()
    {
        var request = RangeRequest.FromEnvironment(Env(("JOB_TYPE", "periodic")));

        request.Should().Be(new RangeRequest(JobKind.Periodic, null, "HEAD", "the first parent of HEAD", "HEAD"));
    }

    [Fact]
    public void Unknown_prow_job_type_is_refused()
    {
        var read = () => RangeRequest.FromEnvironment(Env(("JOB_TYPE", "nightly")));

        read.Should().Throw<FormatException>().WithMessage("JOB_TYPE='nightly': expected presubmit, postsubmit, periodic or batch.");
    }

    [Fact]
    public void GitHub_push_is_before_to_after()
    {
        var request = RangeRequest.FromEnvironment(GitHub("push", $$$"""{"ref":"refs/heads/main","before":"{{{Base}}}","after":"{{{After}}}"}"""));

        request.Should().Be(new RangeRequest(JobKind.Postsubmit, Base, After, "before in GITHUB_EVENT_PATH", "after in GITHUB_EVENT_PATH"));
    }

    [Fact]
    public void GitHub_push_creating_a_branch_uses_the_first_parent()
    {
        var request = RangeRequest.FromEnvironment(GitHub("push", $$$"""{"before":"{{{RangeRequest.NullSha}}}","after":"{{{After}}}","created":true}"""));

        request.Job.Should().Be(JobKind.Postsubmit);
        request.BaseRev.Should().BeNull();
        request.HeadRev.Should().Be(After);
        request.BaseOrigin.Should().Contain("new branch");
    }

    [Fact]
    public void GitHub_pull_request_uses_base_and_head_shas()
    {
        var request = RangeRequest.FromEnvironment(GitHub("pull_request",
            $$$"""{"action":"synchronize","pull_request":{"number":5,"base":{"ref":"main","sha":"{{{Base}}}"},"head":{"ref":"topic","sha":"{{{Pull}}}"} } }"""));

        request.Job.Should().Be(JobKind.Presubmit);
        request.BaseRev.Should().Be(Base);
        request.HeadRev.Should().Be(Pull);
    }

    [Fact]
    public void GitHub_merge_group_is_a_batch()
    {
        var request = RangeRequest.FromEnvironment(GitHub("merge_group", $$$"""{"merge_group":{"base_sha":"{{{Base}}}","head_sha":"{{{Pull}}}"}}"""));

        request.Job.Should().Be(JobKind.Batch);
        request.BaseRev.Should().Be(Base);
        request.HeadRev.Should().Be(Pull);
    }

    [Fact]
    public void GitHub_schedule_is_periodic()
    {
        var request = RangeRequest.FromEnvironment(GitHub("schedule", """{"schedule":"0 3 * * *"}"""));

        request.Job.Should().Be(JobKind.Periodic);
        request.HeadRev.Should().Be("HEAD");
    }

    [Fact]
    public void GitHub_payload_missing_a_field_names_the_field()
    {
        var read = () => RangeRequest.FromEnvironment(GitHub("pull_request", $$$"""{"pull_request":{"base":{"sha":"{{{Base}}}"},"head":{}} }"""));

        read.Should().Throw<FormatException>().WithMessage("*pull_request.head.sha*");
    }

    [Fact]
    public void GitHub_payload_that_is_not_json_is_reported_with_its_path()
    {
        var environment = GitHub("push", "{ before: ");
        var read = () => RangeRequest.FromEnvironment(environment);

        read.Should().Throw<FormatException>().Which.Message.Should().Contain(environment["GITHUB_EVENT_PATH"]).And.Contain("not JSON");
    }

    [Fact]
    public void GitHub_without_event_path_is_refused()
    {
        var read = () => RangeRequest.FromEnvironment(Env(("GITHUB_EVENT_NAME", "push")));

        read.Should().Throw<FormatException>().WithMessage("*GITHUB_EVENT_PATH is not set*");
    }

    [Fact]
    public void Unknown_github_event_is_refused()
    {
        var read = () => RangeRequest.FromEnvironment(GitHub("release", "{}"));

        read.Should().Throw<FormatException>().WithMessage("GITHUB_EVENT_NAME='release': expected push*");
    }

    [Fact]
    public void Since_replaces_the_base_and_keeps_the_job()
    {
        var request = RangeRequest.FromEnvironment(Env(("JOB_TYPE", "postsubmit"), ("PULL_BASE_SHA", After)), since: "v1.0.0");

        request.Should().Be(new RangeRequest(JobKind.Postsubmit, "v1.0.0", After, "--since", "PULL_BASE_SHA"));
    }

    [Fact]
    public void Empty_since_is_refused()
    {
        var read = () => RangeRequest.FromEnvironment(Env(), since: " ");

        read.Should().Throw<FormatException>().WithMessage("--since:*");
    }
}
