using Build.Tools.Git;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using FluentAssertions;
using LibGit2Sharp;
using Xunit;

namespace Build.Tests.Tools.Git;

/// <summary>
/// The Cake.Git-shaped aliases over a scripted repository, each checked against what the git CLI says of the
/// same repository.
/// </summary>
public sealed class GitAliasesTests : IDisposable
{
    private readonly ICakeContext _context = new EnvironmentOnlyContext();
    private readonly ScriptedRepository _repo;
    private readonly DirectoryPath _path;
    private readonly string _first;
    private readonly string _second;

    /// <summary>Two commits on main: the first (VERSION, src/app.txt) tagged v1.0.0, the second changing VERSION and adding docs/notes.md.</summary>
    public GitAliasesTests()
    {
        _repo = ScriptedRepository.CreateReleased();
        _first = _repo.Head;
        _second = _repo.Commit("Bump and notes\n\nWith a body.", ("VERSION", "1.1.0\n"), ("docs/notes.md", "notes\n"));
        _path = new DirectoryPath(_repo.Path);
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void GitDiff_lists_the_changed_paths_between_two_commits()
    {
        var changes = _context.GitDiff(_path, _first, _second);

        changes.Select(c => (c.Path, c.Status, c.Exists, c.OldExists)).Should().Equal(
            ("VERSION", ChangeKind.Modified, true, true),
            ("docs/notes.md", ChangeKind.Added, true, false));
        changes.Select(c => c.Path).Should().Equal(_repo.Git("diff", "--name-only", _first, _second).Split('\n'));
    }

    [Fact]
    public void GitDiff_from_the_empty_tree_lists_every_file()
    {
        _context.GitDiff(_path, GitCommit.RootCommit, _second).Select(c => c.Path).Should()
            .Equal(_repo.Git("ls-tree", "-r", "--name-only", _second).Split('\n'));
    }

    [Fact]
    public void GitLog_returns_the_newest_commits_first()
    {
        var log = _context.GitLog(_path, 5);

        log.Select(c => c.Sha).Should().Equal(_second, _first);
        var head = log.First();
        head.MessageShort.Should().Be("Bump and notes");
        head.Message.Should().Be("Bump and notes\n\nWith a body.\n");
        head.Author.Should().Be(new GitSignature("robot@example.invalid", "Release Robot", head.Author.When));
        head.Committer.When.ToUnixTimeSeconds().Should().Be(long.Parse(_repo.Git("log", "-1", "--format=%ct")));
        _context.GitLog(_path, 1).Should().ContainSingle();
    }

    [Fact]
    public void GitTag_creates_a_lightweight_tag_that_GitTags_lists()
    {
        _context.GitTag(_path, "v1.1.0", _second);
        _context.GitTag(_path, "head-tag");

        _context.GitTags(_path).Select(t => (t.FriendlyName, t.IsAnnotated, t.Reference.TargetIdentifier)).Should().Equal(
            ("head-tag", false, _second), ("v1.0.0", false, _first), ("v1.1.0", false, _second));
        _repo.Git("cat-file", "-t", "v1.1.0").Should().Be("commit", "a lightweight tag points at the commit itself");
        var again = () => _context.GitTag(_path, "v1.1.0", _first);
        again.Should().Throw<NameConflictException>();
    }

    [Fact]
    public void GitDescribe_matches_git_describe()
    {
        _context.GitDescribe(_path, GitDescribeStrategy.Tags).Should().Be(_repo.Git("describe", "--tags"));
        _context.GitDescribe(_path, _first, renderLongFormat: true, GitDescribeStrategy.Tags, minimumCommitIdAbbreviatedSize: 10)
            .Should().Be(_repo.Git("describe", "--tags", "--long", "--abbrev=10", _first));
        var annotatedOnly = () => _context.GitDescribe(_path, GitDescribeStrategy.Default);
        annotatedOnly.Should().Throw<LibGit2SharpException>("the repository has lightweight tags only");
    }

    [Fact]
    public void GitBranchCurrent_names_the_checked_out_branch_and_its_tip()
    {
        var branch = _context.GitBranchCurrent(_path);

        branch.CanonicalName.Should().Be("refs/heads/main");
        branch.FriendlyName.Should().Be("main");
        branch.Tip!.Sha.Should().Be(_second);
        branch.IsRemote.Should().BeFalse();
        branch.Remotes.Should().BeEmpty();
    }

    [Fact]
    public void GitPushRef_pushes_a_tag_to_a_remote_GitRemotes_lists()
    {
        var remote = Directory.CreateTempSubdirectory("git-aliases-remote-").FullName;
        try
        {
            _repo.Git("init", "--quiet", "--bare", remote);
            _repo.Git("remote", "add", "origin", remote);
            _context.GitRemotes(_path).Should().Equal(new GitRemote("origin", remote, remote));

            _context.GitPushRef(_path, "origin", "v1.0.0");

            _repo.Git("ls-remote", "--tags", remote).Should().Be($"{_first}\trefs/tags/v1.0.0");
        }
        finally
        {
            Directory.Delete(remote, recursive: true);
        }
    }

    [Fact]
    public void GitPushRef_fails_when_the_remote_has_another_tag_of_that_name()
    {
        var remote = Directory.CreateTempSubdirectory("git-aliases-remote-").FullName;
        try
        {
            _repo.Git("init", "--quiet", "--bare", remote);
            _repo.Git("remote", "add", "origin", remote);
            _repo.Git("push", "--quiet", "origin", $"{_second}:refs/tags/v1.0.0");

            var push = () => _context.GitPushRef(_path, "origin", "v1.0.0");

            push.Should().Throw<Promoter.Releases.GitException>()
                .Which.Message.Should().StartWith($"git: pushing refs/tags/v1.0.0 to remote 'origin' ({remote}) failed: ");
            _repo.Git("ls-remote", "--tags", remote).Should().StartWith(_second, "the remote's tag is left alone");
        }
        finally
        {
            Directory.Delete(remote, recursive: true);
        }
    }

    [Fact]
    public void The_release_aliases_read_the_same_repository()
    {
        _context.GitRevParse(_path, "v1.0.0").Should().Be(_first);
        _context.GitCommitExists(_path, _first).Should().BeTrue();
        _context.GitIsShallow(_path).Should().BeFalse();
        _context.GitParents(_path, _second).Should().Equal(_first);
        _context.GitMergeBase(_path, _first, _second).Should().Be(_first);
        _context.GitShowFile(_path, _second, "VERSION").Should().Be("1.1.0\n");
        _context.GitShowFile(_path, _first, "docs/notes.md").Should().BeNull();
        _context.GitTagExists(_path, "v1.0.0").Should().BeTrue();
        _context.GitTagExists(_path, "v1.1.0").Should().BeFalse();
    }

    [Fact]
    public void An_alias_finds_the_repository_from_a_folder_inside_it()
    {
        _context.GitBranchCurrent(_path.Combine("src")).Tip!.Sha.Should().Be(_second);
        _context.GitRevParse(_path.Combine("src"), "HEAD").Should().Be(_second);
    }

    /// <summary>An <see cref="ICakeContext"/> with a real environment and nothing else (the git aliases need no more).</summary>
    private sealed class EnvironmentOnlyContext : ICakeContext
    {
        public ICakeEnvironment Environment { get; } = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        public IFileSystem FileSystem => throw new NotSupportedException();
        public IGlobber Globber => throw new NotSupportedException();
        public ICakeLog Log => throw new NotSupportedException();
        public ICakeArguments Arguments => throw new NotSupportedException();
        public IProcessRunner ProcessRunner => throw new NotSupportedException();
        public IRegistry Registry => throw new NotSupportedException();
        public IToolLocator Tools => throw new NotSupportedException();
        public ICakeDataResolver Data => throw new NotSupportedException();
        public ICakeConfiguration Configuration => throw new NotSupportedException();
        public IToolInstaller ToolInstaller => throw new NotSupportedException();
        public IServiceProvider ServiceProvider => throw new NotSupportedException();
    }
}
