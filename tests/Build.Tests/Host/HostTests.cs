using Build.Tests.Harness;
using Build.Tests.Host.Graph;
using FluentAssertions;
using Xunit;

namespace Build.Tests.Host;

[Collection(EnvironmentCollection.Name)]
public sealed class HostTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("host-tests-").FullName;
    private static readonly System.Reflection.Assembly TestGraph = typeof(ATask).Assembly;

    public HostTests() => Journal.Clear();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("CIP_SAMPLE", null);
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public void Runs_the_target_after_its_dependencies_in_order()
    {
        var result = HostRunner.RunGraph(TestGraph, _work, "--target", "C", "--run-skipper");

        result.ExitCode.Should().Be(0, result.Output);
        Journal.Read().Should().Equal("A", "B", "Skipper", "C");
    }

    [Fact]
    public void Default_target_is_used_when_none_is_given()
    {
        var result = HostRunner.RunGraph(TestGraph, _work);

        result.ExitCode.Should().Be(0, result.Output);
        Journal.Read().Should().Equal("A", "B", "C");
    }

    [Fact]
    public void Exclusive_runs_the_target_alone()
    {
        var result = HostRunner.RunGraph(TestGraph, _work, "--target", "C", "--exclusive");

        result.ExitCode.Should().Be(0, result.Output);
        Journal.Read().Should().Equal("C");
    }

    [Fact]
    public void A_false_criterion_skips_the_task_and_the_report_says_so()
    {
        var result = HostRunner.RunGraph(TestGraph, _work, "-t", "C");

        result.ExitCode.Should().Be(0, result.Output);
        Journal.Read().Should().Equal("A", "B", "C");
        result.Output.Should().MatchRegex(@"Skipper\s+-\s+Skipped");
    }

    [Fact]
    public void Dry_run_lists_the_tasks_in_order_and_runs_none()
    {
        var result = HostRunner.RunGraph(TestGraph, _work, "--target", "C", "--dryrun", "--run-skipper");

        result.ExitCode.Should().Be(0, result.Output);
        Journal.Read().Should().BeEmpty();
        result.Output.Should().MatchRegex(@"(?s)1\. A.*2\. B.*3\. Skipper.*4\. C");
    }

    [Fact]
    public void Unknown_target_fails_and_lists_the_known_targets()
    {
        var result = HostRunner.RunGraph(TestGraph, _work, "--target", "Nope");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("Unknown target 'Nope'")
            .And.Contain("Known targets: A, AfterBoom, B, Boom, C, Default, Settings, Skipper.");
        Journal.Read().Should().BeEmpty();
    }

    [Fact]
    public void Target_names_match_without_regard_to_case()
    {
        var result = HostRunner.RunGraph(TestGraph, _work, "--target", "b");

        result.ExitCode.Should().Be(0, result.Output);
        Journal.Read().Should().Equal("A", "B");
    }

    [Fact]
    public void A_failing_task_stops_the_run_with_a_non_zero_exit_and_names_the_task()
    {
        var result = HostRunner.RunGraph(TestGraph, _work, "--target", "AfterBoom");

        result.ExitCode.Should().Be(1);
        Journal.Read().Should().Equal("A", "Boom.Finally");
        result.Output.Should().Contain("An error occurred when executing task 'Boom'.")
            .And.Contain("the boom task failed on purpose");
        result.Output.Should().NotContain("   at Build.Tests", "stack traces print only at diagnostic verbosity");
        result.Output.Should().MatchRegex(@"Boom\s+\S+\s+Failed", "the run summary still prints");
    }

    [Fact]
    public void A_failing_task_prints_its_stack_trace_at_diagnostic_verbosity()
    {
        var result = HostRunner.RunGraph(TestGraph, _work, "--target", "Boom", "--verbosity", "diagnostic");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain("BoomTask.Run");
    }

    [Fact]
    public void Settings_come_from_the_argument_before_the_environment_before_cake_config()
    {
        File.WriteAllText(Path.Combine(_work, "cake.config"), "[Cip]\nSample=from-config\n");
        Environment.SetEnvironmentVariable("CIP_SAMPLE", "from-environment");

        HostRunner.RunGraph(TestGraph, _work, "-t", "Settings", "--sample=from-argument").ExitCode.Should().Be(0);
        HostRunner.RunGraph(TestGraph, _work, "-t", "Settings").ExitCode.Should().Be(0);
        Environment.SetEnvironmentVariable("CIP_SAMPLE", null);
        HostRunner.RunGraph(TestGraph, _work, "-t", "Settings").ExitCode.Should().Be(0);
        File.Delete(Path.Combine(_work, "cake.config"));
        HostRunner.RunGraph(TestGraph, _work, "-t", "Settings").ExitCode.Should().Be(0);

        Journal.Read().Should().Equal(
            "sample=from-argument", "sample=from-environment", "sample=from-config", "sample=default");
    }

    [Fact]
    public void Arguments_take_both_the_equals_and_the_space_form()
    {
        HostRunner.RunGraph(TestGraph, _work, "-t", "Settings", "--sample", "spaced").ExitCode.Should().Be(0);
        HostRunner.RunGraph(TestGraph, _work, "-t", "Settings", "--sample=equals").ExitCode.Should().Be(0);

        Journal.Read().Should().Equal("sample=spaced", "sample=equals");
    }

    [Fact]
    public void Verbose_verbosity_says_which_source_a_setting_came_from()
    {
        Environment.SetEnvironmentVariable("CIP_SAMPLE", "env-value");

        var result = HostRunner.RunGraph(TestGraph, _work, "-t", "Settings", "-v", "verbose");

        result.Output.Should().Contain("Setting sample = 'env-value' (from the environment variable CIP_SAMPLE)");
    }

    [Fact]
    public void Tree_and_description_show_the_graph_without_running_it()
    {
        var tree = HostRunner.RunGraph(TestGraph, _work, "--tree");
        var description = HostRunner.RunGraph(TestGraph, _work, "--description");

        tree.ExitCode.Should().Be(0);
        tree.Output.Should().MatchRegex(@"(?s)C.*Skipper.*B.*A");
        description.Output.Should().Contain("The last of the chain.");
        Journal.Read().Should().BeEmpty();
    }
}
