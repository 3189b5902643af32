using Build.Tools.Git;
using FluentAssertions;
using Promoter.Releases;
using Xunit;

namespace Build.Tests.Tools.Git;

/// <summary>The git reads behind <c>--manifest-diff-since</c>, on real repositories written by the git CLI.</summary>
public sealed class GitTreeExportTests
{
    [Fact]
    public void A_folder_of_an_older_commit_is_written_out_as_committed()
    {
        using var repository = ScriptedRepository.CreateEmpty();
        var first = repository.Commit("one", ("m/a/promoter-manifest.yaml", "a 1\n"), ("m/b.yaml", "b 1\n"), ("other.txt", "x\n"));
        repository.Commit("two", ("m/a/promoter-manifest.yaml", "a 2\n"), ("m/c.yaml", "c 2\n"));
        var target = Directory.CreateTempSubdirectory("export-").FullName;
        try
        {
            GitTreeExport.Export(repository.Path, first, "m", target).Should().BeTrue();
            File.ReadAllText(Path.Combine(target, "m", "a", "promoter-manifest.yaml")).Should().Be("a 1\n");
            File.Exists(Path.Combine(target, "m", "c.yaml")).Should().BeFalse("c.yaml came later");
            File.Exists(Path.Combine(target, "other.txt")).Should().BeFalse("only the folder asked for is written");
            GitTreeExport.Export(repository.Path, first, "absent", target).Should().BeFalse();
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public void A_duration_names_the_parent_of_the_oldest_commit_within_it()
    {
        using var repository = ScriptedRepository.CreateEmpty();
        repository.Commit("one", ("a", "1"));
        var second = repository.Commit("two", ("a", "2"));
        repository.Commit("three", ("a", "3"));
        var headTime = DateTimeOffset.FromUnixTimeSeconds(long.Parse(repository.Git("log", "-1", "--format=%ct")));

        GitTreeExport.BaseForDuration(repository.Path, "1 second", headTime).Should().Be(second, "only HEAD is that recent");
        GitTreeExport.BaseForDuration(repository.Path, "HEAD~1", headTime).Should().BeNull("a revision, not a duration");
        var all = () => GitTreeExport.BaseForDuration(repository.Path, "3 weeks", headTime);
        all.Should().Throw<GitException>().WithMessage("*every commit down to the root commit*");
    }
}
