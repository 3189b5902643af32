using Build.Tests.Harness;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Cake.ImagePromoter;
using FluentAssertions;
using Promoter.Promotion;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.Pack;

/// <summary>
/// The addin's promotion aliases as a user's build calls them, against two real CNCF Distribution registries: the
/// golden set pushed into one with <c>PushGoldenImages</c>, listed with <c>SnapshotRegistry</c>, promoted into the other
/// with <c>PromoteImages</c> (a dry run, a promotion, a no-op), and a tag move refused with a <see cref="CakeException"/>.
/// </summary>
public sealed class PromoteImagesAliasTests : IAsyncLifetime
{
    private readonly LogContext _context = new();
    private TestRegistry _source = null!;
    private TestRegistry _destination = null!;
    private string _scratch = null!;

    public async Task InitializeAsync()
    {
        _source = await TestRegistry.StartAsync();
        _destination = await TestRegistry.StartAsync();
        _scratch = Directory.CreateTempSubdirectory("promote-alias-").FullName;
    }

    public Task DisposeAsync()
    {
        _source.Dispose();
        _destination.Dispose();
        Directory.Delete(_scratch, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void A_dry_run_writes_nothing_a_confirmed_run_promotes_every_edge_and_a_second_run_plans_nothing()
    {
        var (staged, manifest) = Stage();

        var dryRun = _context.PromoteImages(manifest, new PromoteImagesSettings());
        var empty = _context.SnapshotRegistry($"{_destination.Host}/prod", Storage(_destination, new SnapshotRegistrySettings()));
        var promoted = _context.PromoteImages(manifest, new PromoteImagesSettings { Confirm = true, Threads = 2 });
        var again = _context.PromoteImages(manifest, new PromoteImagesSettings { Confirm = true });
        var after = _context.SnapshotRegistry($"{_destination.Host}/prod", Storage(_destination, new SnapshotRegistrySettings()));

        var digests = staged.Images.Sum(i => i.Dmap.Count);
        dryRun.DryRun.Should().BeTrue();
        dryRun.ToPromote.Should().Be(digests);
        dryRun.Promoted.Should().Be(0);
        empty.Images.Should().BeEmpty("a dry run writes nothing");
        promoted.Promoted.Should().Be(digests);
        promoted.Refused.Should().BeEmpty();
        promoted.Counts.TagsWritten.Should().Be(staged.Images.Sum(i => i.Dmap.Sum(d => d.Tags.Count)));
        again.ToPromote.Should().Be(0);
        again.AlreadyPromoted.Should().Be(digests);
        after.ToText().Should().Be(staged.ToText(), "the destination holds what the source holds, digests and tags");
        _context.Lines.Should().Contain(l => l.Contains("Dry run complete: nothing was written"));
    }

    [Fact]
    public void A_refused_tag_move_throws_a_CakeException_naming_it_with_the_result_and_writes_nothing()
    {
        var (staged, manifest) = Stage();
        _context.PromoteImages(manifest, new PromoteImagesSettings { Confirm = true });
        var foo = staged.Images.Single(i => i.Name == "golden-foo/foo");
        var amd64 = foo.Dmap.Single(d => d.Tags.Contains("1.0-linux_amd64")).Digest;
        var s390x = foo.Dmap.Single(d => d.Tags.Contains("1.0-linux_s390x")).Digest;
        var move = Manifest("move.yaml", $"- name: golden-foo/foo\n  dmap:\n    \"{amd64}\": [\"1.0-linux_s390x\"]\n");

        var act = () => _context.PromoteImages(move, new PromoteImagesSettings { Confirm = true });

        var refusal = act.Should().Throw<CakeException>().Which;
        refusal.Message.Should().Contain("PromoteImages refused 1 edge(s)")
            .And.Contain($"REFUSED tag move: {_destination.Host}/prod/golden-foo/foo:1.0-linux_s390x points at {s390x}, not {amd64}");
        var result = refusal.Data[PromoteImagesResult.DataKey].Should().BeOfType<PromoteImagesResult>().Subject;
        result.Refused.Should().ContainSingle().Which.Decision.Should().Be("RefusedTagMove");
        result.Promoted.Should().Be(0);
        _context.SnapshotRegistry($"{_destination.Host}/prod", new SnapshotRegistrySettings { Tag = "1.0-linux_s390x" })
            .Images.Single().Dmap.Single().Digest.Should().Be(s390x, "nothing was written");
    }

    [Fact]
    public void CheckSignatures_finds_nothing_missing_when_the_source_has_no_signatures_and_counts_the_promoted_digests()
    {
        var (staged, manifest) = Stage();
        _context.PromoteImages(manifest, new PromoteImagesSettings { Confirm = true });

        var result = _context.CheckSignatures(manifest, new CheckSignaturesSettings { Threads = 2 });

        result.Findings.Should().BeEmpty();
        result.NotPromoted.Should().Be(0);
        result.Checked.Should().BeGreaterThanOrEqualTo(staged.Images.Sum(i => i.Dmap.Count), "every promoted digest (and index child) is checked");
    }

    /// <summary>Pushes the golden set into the source registry and writes a manifest promoting all of it.</summary>
    private (Snapshot Staged, FilePath Manifest) Stage()
    {
        var golden = System.IO.Path.Combine(BuildProgram.RepositoryRoot, "images", "golden", "golden.yaml");
        var pushed = _context.PushGoldenImages(golden, $"{_source.Host}/staging");
        pushed.Should().NotBeEmpty();
        var staged = _context.SnapshotRegistry($"{_source.Host}/staging", Storage(_source, new SnapshotRegistrySettings()));
        staged.Images.Select(i => i.Name).Should().Equal("golden-bar/bar", "golden-foo/foo");
        return (staged, Manifest("promoter-manifest.yaml", staged.ToText()));
    }

    private FilePath Manifest(string name, string images)
    {
        var path = System.IO.Path.Combine(_scratch, name);
        File.WriteAllText(path, $"registries:\n- name: {_source.Host}/staging\n  src: true\n- name: {_destination.Host}/prod\nimages:\n{images}");
        return path;
    }

    private static T Storage<T>(TestRegistry registry, T settings) where T : ImagePromoterSettings
    {
        settings.RegistryStorage[registry.Host] = registry.StorageRoot;
        return settings;
    }

    /// <summary>An <see cref="ICakeContext"/> with a real environment and a log that keeps its lines (the aliases need no more).</summary>
    private sealed class LogContext : ICakeContext, ICakeLog
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }
        public ICakeEnvironment Environment { get; } = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        public ICakeLog Log => this;
        public Verbosity Verbosity { get; set; } = Verbosity.Diagnostic;

        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
        {
            lock (_lines) _lines.Add(args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        }

        public IFileSystem FileSystem => throw new NotSupportedException();
        public IGlobber Globber => throw new NotSupportedException();
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
