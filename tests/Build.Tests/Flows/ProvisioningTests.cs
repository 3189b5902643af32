using Build.Flows;
using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;
using FluentAssertions;
using Promoter.Reporting;
using Xunit;

namespace Build.Tests.Flows;

/// <summary>
/// What the Test and E2E tasks provision (issue 22, item 7), on a PATH the test makes: a folder with only the tools a
/// case gives. apt-get and the daemon are recorded, never run; the real installation is shown by running the Test task
/// on a machine without the packages (see the commit message).
/// </summary>
public sealed class ProvisioningTests : IDisposable
{
    private readonly string _path = Directory.CreateTempSubdirectory("provisioning-path-").FullName;
    private readonly string _log = Path.Combine(Path.GetTempPath(), "provisioning-" + Guid.NewGuid().ToString("N"), "dockerd.log");
    private readonly List<string> _commands = [];
    private readonly List<string> _warnings = [];
    private int _dockerInfo = 1;

    public void Dispose() => Directory.Delete(_path, recursive: true);

    private static IReadOnlyList<ToolRequirement> TestNeeds => Provisioning.Needs(["Restore", "Compile", "Test"], ImageEngineKind.Oci);

    /// <summary>An executable stub named <paramref name="tool"/> in the test's PATH folder.</summary>
    private void Install(string tool)
    {
        var file = Path.Combine(_path, tool);
        File.WriteAllText(file, "#!/bin/sh\nexit 0\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private Provisioning Make(bool root, bool debian, Func<string[], int>? aptGet = null, bool daemonStarts = true) => new(
        name => name == "PATH" ? _path : null, root, debian,
        (file, arguments) =>
        {
            _commands.Add($"{file} {string.Join(" ", arguments)}");
            if (file == "docker") return _dockerInfo;
            if (file != "apt-get") return 127;
            return aptGet?.Invoke([.. arguments]) ?? InstallPackages(arguments);
        },
        (dockerd, log) =>
        {
            _commands.Add($"start {Path.GetFileName(dockerd)} > {log}");
            if (daemonStarts) _dockerInfo = 0;
            return daemonStarts;
        },
        new Log(_warnings));

    /// <summary>A fake <c>apt-get install</c>: puts every tool of the named packages on PATH.</summary>
    private int InstallPackages(IReadOnlyList<string> arguments)
    {
        if (arguments[0] != "install") return 0;
        foreach (var tool in Provisioning.Tools.Where(t => arguments.Contains(t.Package)))
            Install(tool.Tool);
        return 0;
    }

    [Fact]
    public void The_table_names_every_tool_once_and_Test_needs_them_all()
    {
        Provisioning.Tools.Select(t => t.Tool).Should().OnlyHaveUniqueItems();
        TestNeeds.Select(t => t.Tool).Should().BeEquivalentTo("docker-registry", "skopeo", "htpasswd", "docker", "dockerd", "openssl", "chromium");
        Provisioning.Needs(["Restore", "Compile", "E2E"], ImageEngineKind.Oci).Select(t => t.Tool).Should().Equal("docker-registry", "openssl");
        Provisioning.Needs(["E2E"], ImageEngineKind.Docker).Select(t => t.Tool).Should().Equal("docker-registry", "docker", "dockerd", "openssl");
        Provisioning.Needs(["Promote"], ImageEngineKind.Docker).Should().BeEmpty();
    }

    [Fact]
    public void Not_root_with_tools_missing_fails_at_once_naming_them_and_the_install_command()
    {
        Install("docker-registry");
        Install("openssl");

        var act = () => Make(root: false, debian: true).Ensure(TestNeeds, _log, daemonRequired: false);

        act.Should().Throw<CakeException>().WithMessage(
            "Missing tools: skopeo (tests read pushed images back with skopeo), htpasswd (tests start htpasswd-protected registries), " +
            "docker (*), dockerd (*), chromium (the browser tests). Install them with: sudo apt-get install -y skopeo apache2-utils docker.io chromium");
        _commands.Should().NotContain(c => c.StartsWith("apt-get"));
    }

    [Fact]
    public void Root_elsewhere_than_Debian_fails_with_the_tools_and_the_command()
    {
        var act = () => Make(root: true, debian: false).Ensure(TestNeeds, _log, daemonRequired: false);

        act.Should().Throw<CakeException>().WithMessage("Missing tools: docker-registry (*Install them with: apt-get install -y docker-registry skopeo apache2-utils docker.io openssl chromium (or your system's packages of the same tools)");
        _commands.Should().BeEmpty();
    }

    [Fact]
    public void Root_on_Debian_installs_only_the_missing_packages_then_starts_dockerd()
    {
        foreach (var tool in new[] { "docker-registry", "docker", "dockerd", "openssl", "chromium" }) Install(tool);

        Make(root: true, debian: true).Ensure(TestNeeds, _log, daemonRequired: false);

        _commands.Should().Equal(
            "docker info --format {{.ServerVersion}}",
            "apt-get install -y -q skopeo apache2-utils",
            "docker info --format {{.ServerVersion}}",
            $"start dockerd > {_log}");
        File.Exists(Path.Combine(_path, "htpasswd")).Should().BeTrue();
        _warnings.Should().BeEmpty();
    }

    [Fact]
    public void A_failed_install_updates_the_package_lists_and_tries_once_more()
    {
        var attempts = 0;
        Make(root: true, debian: true, aptGet: arguments => arguments[0] == "install" && ++attempts == 1 ? 100 : InstallPackages(arguments))
            .Ensure(Provisioning.Needs(["E2E"], ImageEngineKind.Oci), _log, daemonRequired: false);

        _commands.Should().Equal("apt-get install -y -q docker-registry openssl", "apt-get update -q", "apt-get install -y -q docker-registry openssl");
    }

    [Fact]
    public void A_running_daemon_is_left_alone_and_needs_no_local_dockerd()
    {
        foreach (var tool in Provisioning.Tools.Where(t => t.Tool != "dockerd")) Install(tool.Tool);
        _dockerInfo = 0;

        Make(root: false, debian: true).Ensure(TestNeeds, _log, daemonRequired: true);

        _commands.Should().Equal("docker info --format {{.ServerVersion}}");
    }

    [Fact]
    public void A_daemon_that_cannot_be_had_is_a_warning_for_Test_and_an_error_for_the_docker_engine()
    {
        foreach (var tool in Provisioning.Tools) Install(tool.Tool);

        Make(root: false, debian: true).Ensure(TestNeeds, _log, daemonRequired: false);
        _warnings.Should().ContainSingle().Which.Should().Be(
            "dockerd is not running and only root can start it here: run `sudo dockerd --iptables=false --storage-driver=vfs`; the tests that need docker will be skipped");

        var e2e = () => Make(root: true, debian: true, daemonStarts: false).Ensure(Provisioning.Needs(["E2E"], ImageEngineKind.Docker), _log, daemonRequired: true);
        e2e.Should().Throw<CakeException>().WithMessage(
            $"dockerd did not answer `docker info` within 90 s of `dockerd --iptables=false --storage-driver=vfs`; its log is {_log}");
    }

    [Fact]
    public void The_closing_line_says_why_each_test_was_skipped()
    {
        var skipped = new List<SkippedTest>
        {
            new("Build.Tests.Tasks.PushSrc.PushSrcTests.Docker_engine_push", "dockerd not running (Cannot connect to the Docker daemon)"),
            new("Promoter.Tests.Images.GoldenBuilderTests.Docker_loads(x: 1)", "dockerd not running (Cannot connect\n to the Docker daemon)"),
            new("Build.Tests.Tasks.PromoteOnCluster.PromoteOnClusterTests.Applies", "kubectl is not installed"),
        };

        TrxRun.Summary(10, 0, skipped).Should().Be(
            "Tests: 10 passed, 0 failed, 3 skipped - skipped 2: dockerd not running (Cannot connect to the Docker daemon) " +
            "(PushSrcTests.Docker_engine_push, GoldenBuilderTests.Docker_loads); skipped 1: kubectl is not installed (PromoteOnClusterTests.Applies)");
        TrxRun.Summary(10, 1, []).Should().Be("Tests: 10 passed, 1 failed, 0 skipped");
    }

    private sealed class Log(List<string> warnings) : ICakeLog
    {
        public Verbosity Verbosity { get; set; } = Verbosity.Normal;

        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
        {
            if (level == LogLevel.Warning) warnings.Add(string.Format(format, args));
        }
    }
}
