using Build.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Build.Tests.Host;

/// <summary>The real task graph of the build program, seen through --dryrun and --tree.</summary>
public sealed class BuildGraphTests
{
    private static readonly System.Reflection.Assembly Program = typeof(BuildContext).Assembly;
    private static readonly string Root = FindRoot();

    [Theory]
    [InlineData("Default", new[] { "Restore", "Compile", "Test", "Default" })]
    [InlineData("Compile", new[] { "Restore", "Compile" })]
    [InlineData("Test", new[] { "Restore", "Compile", "Test" })]
    [InlineData("PushSrc", new[] { "LoadTarballs", "PushSrc" })]
    [InlineData("E2E", new[] { "Restore", "Compile", "E2E" })]
    [InlineData("PurgeDest", new[] { "PurgeDest" })]
    public void Dry_run_of_each_target_lists_its_tasks_in_order(string target, string[] expected)
    {
        var result = HostRunner.Run(Program, Root, "--target", target, "--dryrun");

        result.ExitCode.Should().Be(0, result.Output);
        var listed = System.Text.RegularExpressions.Regex.Matches(result.Output, @"^\d+\. (\S+)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value);
        listed.Should().Equal(expected);
    }

    [Theory]
    [InlineData("Test", "docker-registry, skopeo, htpasswd, docker, dockerd, openssl, chromium")]
    [InlineData("E2E", "docker-registry, openssl")]
    public void A_dry_run_provisions_nothing(string target, string tools)
    {
        var result = HostRunner.Run(Program, Root, "--target", target, "--dryrun", "--verbosity", "verbose");

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain($"Dry run: the tools {tools} are not checked or installed");
    }

    [Fact]
    public void Tree_lists_every_task_of_the_mission()
    {
        var result = HostRunner.Run(Program, Root, "--tree");

        foreach (var task in new[] { "Restore", "Compile", "Test", "ContainerizeGolden", "LoadTarballs", "PushSrc", "PurgeDest", "E2E", "PromoteRelease" })
            result.Output.Should().Contain(task);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Promoter.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
