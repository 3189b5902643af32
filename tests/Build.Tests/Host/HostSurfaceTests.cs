using Build.Host;
using Build.Tests.Harness;
using Build.Tests.Host.Surface;
using Cake.Core.IO;
using Cake.Core.Packaging;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;

namespace Build.Tests.Host;

/// <summary>
/// The rest of the Frosting surface (single-purpose hooks, InstallTool, SetToolPath, wiring errors, --version
/// and --info) on bare hosts whose tasks are registered as <see cref="IFrostingTask"/> services.
/// </summary>
public sealed class HostSurfaceTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("host-surface-").FullName;

    public HostSurfaceTests() => HookJournal.Clear();

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static Func<CakeHost, CakeHost> With(Func<CakeHost, CakeHost> configure, params Type[] tasks) =>
        host => configure(host.ConfigureServices(s =>
        {
            foreach (var task in tasks) s.AddSingleton(typeof(IFrostingTask), task);
        }));

    private HostRunner.Result Run(Func<CakeHost, CakeHost> configure, params string[] args) =>
        HostRunner.RunHost(configure, _work, args);

    [Fact]
    public void A_lifetime_and_separate_setup_and_teardown_all_run_in_registration_order()
    {
        var result = Run(With(h => h.UseLifetime<RecordingLifetime>().UseSetup<RecordingSetup>().UseTeardown<RecordingTeardown>(),
            typeof(OneTask)), "--target", "One");

        result.ExitCode.Should().Be(0, result.Output);
        HookJournal.Read().Should().Equal("lifetime.setup", "setup for One", "One", "lifetime.teardown", "teardown");
    }

    [Fact]
    public void Setups_registered_before_the_lifetime_run_before_it()
    {
        var result = Run(With(h => h.UseSetup<RecordingSetup>().UseTeardown<RecordingTeardown>().UseLifetime<RecordingLifetime>(),
            typeof(OneTask)), "--target", "One");

        result.ExitCode.Should().Be(0, result.Output);
        HookJournal.Read().Should().Equal("setup for One", "lifetime.setup", "One", "teardown", "lifetime.teardown");
    }

    [Fact]
    public void A_class_registered_as_lifetime_and_as_setup_runs_once()
    {
        var result = Run(With(h => h.UseLifetime<RecordingLifetime>().UseSetup<RecordingLifetime>().UseTeardown<RecordingLifetime>(),
            typeof(OneTask)), "--target", "One");

        result.ExitCode.Should().Be(0, result.Output);
        HookJournal.Read().Should().Equal("lifetime.setup", "One", "lifetime.teardown");
    }

    [Fact]
    public void Task_hooks_run_around_every_task_in_registration_order()
    {
        var result = Run(With(h => h.UseTaskLifetime<RecordingTaskLifetime>().UseTaskSetup<RecordingTaskSetup>().UseTaskTeardown<RecordingTaskTeardown>(),
            typeof(OneTask), typeof(TwoTask)), "--target", "Two");

        result.ExitCode.Should().Be(0, result.Output);
        HookJournal.Read().Should().Equal(
            "taskLifetime.setup One", "taskSetup One", "One", "taskLifetime.teardown One", "taskTeardown One",
            "taskLifetime.setup Two", "taskSetup Two", "Two", "taskLifetime.teardown Two", "taskTeardown Two");
    }

    [Fact]
    public void A_failing_setup_stops_the_tasks_but_the_teardowns_run()
    {
        var result = Run(With(h => h.UseSetup<FailingSetup>().UseSetup<RecordingSetup>().UseTeardown<RecordingTeardown>(),
            typeof(OneTask)), "--target", "One");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("setup failed on purpose");
        HookJournal.Read().Should().Equal("teardown after failure");
    }

    [Fact]
    public void Every_teardown_runs_when_an_earlier_one_fails_and_the_run_fails()
    {
        var result = Run(With(h => h.UseTeardown<FailingTeardown>().UseTeardown<RecordingTeardown>(),
            typeof(OneTask)), "--target", "One");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("teardown failed on purpose");
        HookJournal.Read().Should().Equal("One", "teardown");
    }

    [Fact]
    public void Every_task_teardown_runs_when_an_earlier_one_fails_and_the_task_fails()
    {
        var result = Run(With(h => h.UseTaskTeardown<FailingTaskTeardown>().UseTaskTeardown<RecordingTaskTeardown>(),
            typeof(OneTask), typeof(TwoTask)), "--target", "Two");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("task teardown failed on purpose");
        HookJournal.Read().Should().Equal("One", "taskTeardown One");
    }

    [Fact]
    public void A_hook_for_a_context_the_run_does_not_have_fails_at_start_up()
    {
        var result = Run(With(h => h.UseSetup<OtherContextSetup>(), typeof(OneTask)), "--target", "One");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain(
            $"The FrostingSetup '{typeof(OtherContextSetup).FullName}' is for context OtherContext, but the run's context is FrostingContext");
        HookJournal.Read().Should().BeEmpty();
    }

    [Fact]
    public void A_task_for_a_context_the_run_does_not_have_is_left_out_with_a_warning()
    {
        var tasks = new[] { typeof(OneTask), typeof(OtherContextTask) };

        var fits = Run(With(h => h, tasks), "--target", "One");
        var missing = Run(With(h => h, tasks), "--target", "OtherOnly");
        var withOtherContext = Run(With(h => h.UseContext<OtherContext>(), tasks), "--target", "OtherOnly");

        fits.ExitCode.Should().Be(0, fits.Output);
        fits.Output.Should().Contain("Task 'OtherOnly' is for context OtherContext, which FrostingContext is not; the task is left out.");
        missing.ExitCode.Should().NotBe(0);
        missing.Output.Should().Contain("Unknown target 'OtherOnly'. Known targets: One.");
        withOtherContext.ExitCode.Should().Be(0, withOtherContext.Output);
        withOtherContext.Output.Should().NotContain("left out");
        HookJournal.Read().Should().Equal("One", "OtherOnly");
    }

    [Theory]
    [InlineData(typeof(DependsOnNonTask), "The dependency 'String' of task 'DependsOnString' is not a Frosting task.")]
    [InlineData(typeof(DependeeOfNonTask), "The dependency 'Uri' of task 'DependeeOfUri' is not a Frosting task.")]
    public void A_dependency_attribute_naming_a_type_that_is_not_a_task_fails_with_a_FrostingException(Type task, string message)
    {
        var result = Run(With(h => h.UseLifetime<RecordingLifetime>(), typeof(OneTask), task), "--target", "One", "--verbosity", "diagnostic");

        result.ExitCode.Should().Be(1);
        result.Output.Should().Contain(typeof(FrostingException).FullName + ": " + message);
        HookJournal.Read().Should().BeEmpty("nothing runs, not even setup, when the graph is wired wrongly");
    }

    [Fact]
    public void InstallTool_hands_the_parsed_package_to_the_installer_and_the_task_finds_the_tool()
    {
        var result = Run(With(h => h
                .ConfigureServices(s => s.RemoveAll<IPackageInstaller>())
                .UsePackageInstaller<RecordingInstaller>()
                .InstallTool(new Uri("nuget:?package=Fake.Tool&version=1.2.3"))
                .UseCakeSetting("Paths_Tools", "replaced-by-the-next-setting")
                .SetToolPath("custom-tools"),
            typeof(UseToolTask)), "--target", "UseTool");

        result.ExitCode.Should().Be(0, result.Output);
        var tools = new DirectoryPath(_work).Combine("custom-tools");
        HookJournal.Read().Should().Equal(
            $"install Fake.Tool version=1.2.3 type=Tool into {tools.FullPath}",
            $"resolved {tools.Combine("Fake.Tool").CombineWithFilePath("fake-tool").FullPath}");
    }

    [Theory]
    [InlineData("--dryrun")]
    [InlineData("--tree")]
    [InlineData("--description")]
    public void Tools_install_in_every_mode_into_tools_under_the_working_directory_by_default(string mode)
    {
        var result = Run(With(h => h
                .ConfigureServices(s => s.RemoveAll<IPackageInstaller>())
                .UsePackageInstaller<RecordingInstaller>()
                .InstallTool(new Uri("nuget:?package=First.Tool&version=1.0.0"))
                .InstallTool(new Uri("nuget:?package=Second.Tool")),
            typeof(UseToolTask)), "--target", "UseTool", mode);

        result.ExitCode.Should().Be(0, result.Output);
        var tools = new DirectoryPath(_work).Combine("tools").FullPath;
        HookJournal.Read().Should().Equal(
            $"install First.Tool version=1.0.0 type=Tool into {tools}",
            $"install Second.Tool version=none type=Tool into {tools}");
    }

    [Fact]
    public void A_tool_no_installer_takes_fails_the_run_before_any_task()
    {
        var result = Run(With(h => h
                .ConfigureServices(s => s.RemoveAll<IPackageInstaller>())
                .UsePackageInstaller<RecordingInstaller>()
                .InstallTool(new Uri("dotnet:?package=Not.Nuget")),
            typeof(UseToolTask)), "--target", "UseTool");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("Could not find an installer for the 'dotnet' scheme.");
        HookJournal.Read().Should().BeEmpty();
    }

    [Theory]
    [InlineData("nuget:?version=1.0.0", "is not valid")]
    [InlineData("tools/fake", "has no scheme")]
    public void InstallTool_rejects_a_uri_that_is_not_a_package_reference(string uri, string reason)
    {
        var act = () => CakeHost.Create().InstallTool(new Uri(uri, UriKind.RelativeOrAbsolute));

        act.Should().Throw<FrostingException>()
            .Which.Message.Should().Contain($"'{uri}' {reason}").And.Contain("nuget:?package=<id>&version=<version>");
    }

    [Fact]
    public void Version_prints_the_VERSION_file_and_exits_0_without_running_anything()
    {
        var result = Run(InstrumentedHost(), "--target", "One", "--version");

        var expected = VersionFile();
        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Trim().Should().Be(expected, "the program's version is the repository's VERSION file");
        HookJournal.Read().Should().BeEmpty("no setup, task or tool install happens for --version");
    }

    [Fact]
    public void Info_prints_the_program_and_engine_versions_and_exits_0_without_running_anything()
    {
        var result = Run(InstrumentedHost(), "--info");

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Trim().Should().Be($"Build program {VersionFile()} on Cake.Core 7.0.0");
        HookJournal.Read().Should().BeEmpty("no setup, task or tool install happens for --info");
    }

    /// <summary>The repository's VERSION file, which Directory.Build.props makes the program's version.</summary>
    private static string VersionFile() => File.ReadAllText(System.IO.Path.Combine(BuildProgram.RepositoryRoot, "VERSION")).Trim();

    /// <summary>A host where a setup, the task One and a tool install would each leave a record.</summary>
    private static Func<CakeHost, CakeHost> InstrumentedHost() => With(h => h
            .UseLifetime<RecordingLifetime>()
            .ConfigureServices(s => s.RemoveAll<IPackageInstaller>())
            .UsePackageInstaller<RecordingInstaller>()
            .InstallTool(new Uri("nuget:?package=Fake.Tool&version=1.2.3")),
        typeof(OneTask));
}
