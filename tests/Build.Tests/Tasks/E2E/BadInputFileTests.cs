using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Tests.Support;
using Xunit;
using Xunit.Sdk;

namespace Build.Tests.Tasks.E2E;

/// <summary>
/// The bad-input classes through the real build program: a FIFO or folder given where a file is expected fails the task
/// at once naming it, an e2e file with no test fails E2E and PurgeDest, and a thin-manifest directory with a link out of
/// it fails Promote naming the link.
/// </summary>
public sealed class BadInputFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bad-input-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Runs the build program; fails the test (after unblocking any FIFO read) when it does not end within the limit.</summary>
    private HostRunner.Result Run(params string[] args)
    {
        HostRunner.Result? result = null;
        var error = SpecialFiles.Refusal(() =>
        {
            result = BuildProgram.Run(args);
            throw new OperationCanceledException("ended");
        }, _folder);
        if (error is not OperationCanceledException { Message: "ended" }) throw new XunitException($"the build program crashed: {error}");
        return result!;
    }

    [Theory]
    [InlineData("fifo", "Promote", "manifest")]
    [InlineData("directory", "Promote", "manifest")]
    [InlineData("fifo", "E2E", "e2e-file")]
    [InlineData("fifo", "PurgeDest", "e2e-file")]
    public void A_file_setting_naming_a_non_regular_file_fails_the_task_at_once(string kind, string target, string setting)
    {
        var path = SpecialFiles.Make(kind, Path.Combine(_folder, "input.yaml"));

        var result = Run("--target", target, "--exclusive", $"--{setting}={path}");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain($"{path}: not a regular file ({SpecialFiles.Described(kind)})");
    }

    [Theory]
    [InlineData("E2E")]
    [InlineData("PurgeDest")]
    public void An_e2e_file_with_no_test_fails_naming_the_file(string target)
    {
        var file = Path.Combine(_folder, "tests.yaml");
        File.WriteAllText(file, "# every test was deleted\n[]\n");

        var result = Run("--target", target, "--exclusive", $"--e2e-file={file}");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain($"{file}:2: holds no test");
    }

    [Fact]
    public void A_thin_manifest_directory_with_a_link_out_of_it_fails_Promote_naming_the_link()
    {
        var thin = Path.Combine(_folder, "thin");
        Directory.CreateDirectory(Path.Combine(thin, "images"));
        Directory.CreateDirectory(Path.Combine(thin, "manifests"));
        Directory.CreateSymbolicLink(Path.Combine(thin, "manifests", "etc"), "/etc");

        var result = Run("--target", "Promote", $"--thin-manifest-dir={thin}");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain($"{thin}/manifests/etc: a symbolic link to '/etc' (/etc), which leaves {thin}; not followed");
    }
}
