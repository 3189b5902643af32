using Build.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Build.Tests.Tasks.ContainerizeGolden;

/// <summary>The ContainerizeGolden task: both repository golden sets by default, one with --golden; --verify fails on a difference.</summary>
public sealed class ContainerizeGoldenTaskTests : IDisposable
{
    private readonly GoldenScratch _scratch = new();

    [Fact]
    public void Verify_covers_the_project_set_and_upstreams_set()
    {
        var result = BuildProgram.Run("--target", "ContainerizeGolden", "--verify");

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain("golden archives verified: 5 files identical to a fresh build of " +
            Path.Combine(BuildProgram.RepositoryRoot, "images", "golden", "golden.yaml"));
        result.Output.Should().Contain("golden archives verified: 4 files identical to a fresh build of " + BuildProgram.UpstreamGoldenSet);
    }

    [Fact]
    public void Verify_of_one_set_names_each_differing_archive_and_build_rewrites_it()
    {
        var source = Path.Combine(_scratch.Folder, "src", "bar");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        File.WriteAllText(source, "bar 1.0\n");
        var set = _scratch.GoldenSet("set.yaml", """
            archiveRoot: archives
            images:
              - name: bar
                archive: bar/1.0.tar
                repository: golden-bar/bar
                tags: ["1.0"]
                platform: linux/amd64
                build:
                  repoTags: ["gcr.io/k8s-staging-cip-test/golden-bar/bar:1.0"]
                  author: Bazel
                  createdBy: bazel build ...
                  savedInTimeZone: "-05:00"
                  layers:
                    - files:
                        - path: golden/bar/1.0
                          source: src/bar
                    - files: []
            """);
        var committed = _scratch.CopyUpstream("bar/1.0.tar", "bar-1.0.tar");
        Directory.CreateDirectory(Path.Combine(_scratch.Archives, "bar"));
        File.Move(committed, Path.Combine(_scratch.Archives, "bar", "1.0.tar"));

        // The scratch set describes upstream's bar exactly: the committed copy verifies.
        var same = BuildProgram.Run("--target", "ContainerizeGolden", "--verify", $"--golden={set}");
        same.ExitCode.Should().Be(0, same.Output);
        same.Output.Should().Contain("golden archives verified: 1 files identical").And.NotContain(BuildProgram.UpstreamGoldenSet);

        // Another saver zone changes the v1 folders, so the archive differs.
        File.WriteAllText(set, File.ReadAllText(set).Replace("\"-05:00\"", "Z"));
        var differs = BuildProgram.Run("--target", "ContainerizeGolden", "--verify", $"--golden={set}");
        differs.ExitCode.Should().NotBe(0);
        differs.Output.Should().Contain("bar/1.0.tar: differs at byte").And.Contain("Run ContainerizeGolden without --verify");

        var rebuilt = BuildProgram.Run("--target", "ContainerizeGolden", $"--golden={set}");
        rebuilt.ExitCode.Should().Be(0, rebuilt.Output);
        BuildProgram.Run("--target", "ContainerizeGolden", "--verify", $"--golden={set}").ExitCode.Should().Be(0);
    }

    public void Dispose() => _scratch.Dispose();
}
