using Build.Tests.Harness;
using Build.Tests.Tools.Git;
using FluentAssertions;
using Promoter.Images;
using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;
using Promoter.Releases;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.PromoteRelease;

/// <summary>
/// PromoteRelease end to end, in-process on the real Cake engine: a temporary git repository holding VERSION and
/// this project's images/release/, real Distribution registries, skopeo as an independent reader.
/// </summary>
[Collection(ReleaseCollection.Name)]
public sealed class PromoteReleaseTests(ReleaseRegistries registries) : IDisposable
{
    private const string Task = "PromoteRelease";
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];
    private readonly List<IDisposable> _cleanup = [];

    private string Staging => $"{registries.Staging.Host}/stg-{_id}";
    private string Production1 => $"{registries.Production1.Host}/prod-{_id}";
    private string Production2 => $"{registries.Production2.Host}/prod-{_id}/mirror";
    private string[] RegistryArguments => [$"--staging-registry={Staging}", $"--production-registries={Production1},{Production2}"];

    [Fact]
    public async Task A_version_bump_releases_the_same_digest_to_staging_and_every_production_registry_and_tags_the_commit()
    {
        using var repo = BumpedRepository("0.2.0", out var remote);
        HostRunner.Result result;
        using (new ScopedEnvironment())
            result = HostRunner.Run(typeof(BuildContext).Assembly, repo.Path, ["--target", Task, "--confirm", .. RegistryArguments]);

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain("PromoteRelease runs: VERSION changed from 0.1.0 to 0.2.0");

        var staged = await HeadAsync(registries.Staging, $"stg-{_id}/promoter", "v0.2.0");
        staged.Should().NotBeNull("the release image must be in staging under v0.2.0");
        (await HeadAsync(registries.Production1, $"prod-{_id}/promoter", "v0.2.0")).Should().Be(staged);
        (await HeadAsync(registries.Production2, $"prod-{_id}/mirror/promoter", "v0.2.0")).Should().Be(staged);
        foreach (var reference in new[] { Staging, Production1, Production2 }.Select(r => $"{r}/promoter:v0.2.0"))
            Digest.Of(Skopeo.InspectRaw(reference)).Should().Be(staged!.Value, $"skopeo reads {reference}");

        // The digest is the deterministic build's: building the same sources again gives the same manifest.
        var rebuilt = await new OciImageEngine(new RegistryPool(_ => new RegistryClientOptions()))
            .BuildAsync(ReleaseBuilds.Spec(ReleaseImageSet.Load(Path.Combine(repo.Path, "images/release/release.yaml")).Images[0], "v0.2.0"), Temp());
        rebuilt.ManifestDigest.Should().Be(staged);

        var manifest = ManifestReader.Load(Path.Combine(repo.Path, "manifests/release/promoter-manifest.yaml"));
        manifest.Source.Name.Should().Be(Staging);
        manifest.Destinations.Select(d => d.Name).Should().Equal(Production1, Production2);
        manifest.Images.Should().ContainSingle().Which.Name.Should().Be("promoter");
        manifest.Images[0].Dmap.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Digest = staged!.Value.Value, Tags = new[] { "v0.2.0" } });

        repo.Git("rev-parse", "v0.2.0^{commit}").Should().Be(repo.Head);
        repo.Git("ls-remote", "--tags", remote).Should().Contain("refs/tags/v0.2.0");
    }

    [Fact]
    public async Task A_second_run_with_the_same_version_does_nothing()
    {
        using var repo = BumpedRepository("0.3.0", out _);
        using (new ScopedEnvironment())
            HostRunner.Run(typeof(BuildContext).Assembly, repo.Path, ["--target", Task, "--confirm", .. RegistryArguments])
                .ExitCode.Should().Be(0);
        var manifestPath = Path.Combine(repo.Path, "manifests/release/promoter-manifest.yaml");
        var firstManifest = await File.ReadAllTextAsync(manifestPath);
        var tagsBefore = await TagsAsync(registries.Production1, $"prod-{_id}/promoter");

        HostRunner.Result second;
        using (new ScopedEnvironment())
            second = HostRunner.Run(typeof(BuildContext).Assembly, repo.Path, ["--target", Task, "--confirm", .. RegistryArguments]);

        second.ExitCode.Should().Be(0, second.Output);
        second.Output.Should().Contain("PromoteRelease skipped: tag v0.3.0 already exists");
        second.Output.Should().NotContain("pushed ");
        (await File.ReadAllTextAsync(manifestPath)).Should().Be(firstManifest);
        (await TagsAsync(registries.Production1, $"prod-{_id}/promoter")).Should().Equal(tagsBefore);

        // Promoting the written manifest again (a dry run) is an empty plan: production already holds the release.
        using var pool = new RegistryPool(_ => new RegistryClientOptions { Insecure = true });
        var again = await new PromotionPipeline(pool, new PromotionPolicy()).RunAsync(_ => PromotionEdges.FromManifests([ManifestReader.Load(manifestPath)]));
        again.Stop.Should().Be(PromotionStop.DryRun);
        again.Plan.Edges.Should().HaveCount(2).And.OnlyContain(e => e.Decision == EdgeDecision.AlreadyPromoted);
        again.Plan.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public async Task A_dry_run_prints_every_step_and_writes_nothing()
    {
        using var repo = BumpedRepository("0.4.0", out var remote);
        HostRunner.Result result;
        using (new ScopedEnvironment())
            result = HostRunner.Run(typeof(BuildContext).Assembly, repo.Path, ["--target", Task, .. RegistryArguments]);

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain("would build promoter (linux/amd64)")
            .And.Contain($"would push {Staging}/promoter:v0.4.0")
            .And.Contain("would write ").And.Contain("promoter-manifest.yaml")
            .And.Contain($"would promote {Staging}/promoter -> {Production2}/promoter:v0.4.0")
            .And.Contain($"would tag commit {repo.Head} v0.4.0")
            .And.Contain("would push tag v0.4.0 to 'origin'")
            .And.Contain("dry run: nothing was built");

        (await registries.Staging.CreateClient().ListRepositoriesAsync()).Should().NotContain(r => r.StartsWith($"stg-{_id}/"));
        (await registries.Production1.CreateClient().ListRepositoriesAsync()).Should().NotContain(r => r.StartsWith($"prod-{_id}/"));
        File.Exists(Path.Combine(repo.Path, "manifests/release/promoter-manifest.yaml")).Should().BeFalse();
        Directory.Exists(Path.Combine(repo.Path, ".build")).Should().BeFalse();
        repo.Git("tag", "--list", "v0.4.0").Should().BeEmpty();
        repo.Git("ls-remote", "--tags", remote).Should().NotContain("v0.4.0");
    }

    [Fact]
    public async Task A_presubmit_builds_the_release_images_and_pushes_nothing()
    {
        using var repo = BumpedRepository("0.5.0", out _);
        var pullBase = repo.Git("rev-parse", "HEAD~1");
        HostRunner.Result result;
        using (new ScopedEnvironment(("JOB_TYPE", "presubmit"), ("PULL_BASE_SHA", pullBase), ("PULL_PULL_SHA", repo.Head)))
            result = HostRunner.Run(typeof(BuildContext).Assembly, repo.Path, ["--target", Task, "--confirm", .. RegistryArguments]);

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain("PromoteRelease builds the release images without pushing: presubmit");
        var archive = Path.Combine(repo.Path, ".build/release-images/promoter-v0.5.0.tar");
        File.Exists(archive).Should().BeTrue(result.Output);
        Promoter.Images.PushableImage.FromDockerArchive(archive).Platform.Should().Be(new Platform("amd64", "linux"));

        (await registries.Staging.CreateClient().ListRepositoriesAsync()).Should().NotContain(r => r.StartsWith($"stg-{_id}/"));
        (await registries.Production1.CreateClient().ListRepositoriesAsync()).Should().NotContain(r => r.StartsWith($"prod-{_id}/"));
        File.Exists(Path.Combine(repo.Path, "manifests/release/promoter-manifest.yaml")).Should().BeFalse();
        repo.Git("tag", "--list", "v0.5.0").Should().BeEmpty();
    }

    [Theory]
    [InlineData("0.0.9", "PromoteRelease refused: VERSION went from 0.1.0 to 0.0.9")]
    [InlineData("0.2.0-rc.1", "PromoteRelease refused: VERSION at")]
    [InlineData("two", "PromoteRelease refused: VERSION at")]
    public void A_refused_version_fails_with_one_line_and_touches_nothing(string version, string line)
    {
        using var repo = BumpedRepository(version, out _);
        HostRunner.Result result;
        using (new ScopedEnvironment())
            result = HostRunner.Run(typeof(BuildContext).Assembly, repo.Path, ["--target", Task, "--confirm", .. RegistryArguments]);

        result.ExitCode.Should().NotBe(0, result.Output);
        result.Output.Should().Contain(line);
        File.Exists(Path.Combine(repo.Path, "manifests/release/promoter-manifest.yaml")).Should().BeFalse();
        repo.Git("tag", "--list").Should().Be("v0.1.0");
    }

    [Fact]
    public void A_commit_that_does_not_change_VERSION_skips_the_release()
    {
        using var repo = BumpedRepository("0.1.0", out _, ("docs/notes.txt", "not a release\n"));
        HostRunner.Result result;
        using (new ScopedEnvironment())
            result = HostRunner.Run(typeof(BuildContext).Assembly, repo.Path, ["--target", Task, "--confirm", .. RegistryArguments]);

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain("PromoteRelease skipped: VERSION did not change");
        File.Exists(Path.Combine(repo.Path, "manifests/release/promoter-manifest.yaml")).Should().BeFalse();
    }

    [Fact]
    public void A_version_tagged_only_on_the_remote_is_skipped()
    {
        // As a CI clone fetched without tags sees it: the release tag is upstream, not in the clone.
        using var repo = BumpedRepository("0.7.0", out var remote);
        repo.Git("push", "--quiet", remote, "HEAD:refs/tags/v0.7.0");
        HostRunner.Result result;
        using (new ScopedEnvironment())
            result = HostRunner.Run(typeof(BuildContext).Assembly, repo.Path, ["--target", Task, "--confirm", .. RegistryArguments]);

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain("PromoteRelease skipped: tag v0.7.0 already exists");
        File.Exists(Path.Combine(repo.Path, "manifests/release/promoter-manifest.yaml")).Should().BeFalse();
        repo.Git("tag", "--list").Should().Be("v0.1.0");
    }

    [Fact]
    public void A_remote_that_cannot_be_read_refuses_naming_it()
    {
        using var repo = BumpedRepository("0.8.0", out _);
        var missing = Path.Combine(Path.GetTempPath(), "promote-release-gone-" + _id);
        repo.Git("remote", "set-url", "origin", missing);
        HostRunner.Result result;
        using (new ScopedEnvironment())
            result = HostRunner.Run(typeof(BuildContext).Assembly, repo.Path, ["--target", Task, "--confirm", .. RegistryArguments]);

        result.ExitCode.Should().NotBe(0, result.Output);
        result.Output.Should().Contain($"PromoteRelease refused: git: cannot list the tags of remote 'origin' ({missing})");
        File.Exists(Path.Combine(repo.Path, "manifests/release/promoter-manifest.yaml")).Should().BeFalse();
    }

    [Fact]
    public async Task The_docker_engine_builds_with_docker_and_promotes_the_pushed_digest()
    {
        using var repo = BumpedRepository("0.6.0", out _);
        HostRunner.Result result;
        using (new ScopedEnvironment())
            result = HostRunner.Run(typeof(BuildContext).Assembly, repo.Path, ["--target", Task, "--confirm", "--engine=docker", .. RegistryArguments]);

        result.ExitCode.Should().Be(0, result.Output);
        var staged = await HeadAsync(registries.Staging, $"stg-{_id}/promoter", "v0.6.0");
        staged.Should().NotBeNull(result.Output);
        (await HeadAsync(registries.Production1, $"prod-{_id}/promoter", "v0.6.0")).Should().Be(staged);
        Digest.Of(Skopeo.InspectRaw($"{Production2}/promoter:v0.6.0")).Should().Be(staged!.Value);
        ManifestReader.Load(Path.Combine(repo.Path, "manifests/release/promoter-manifest.yaml")).Images[0].Dmap[0].Digest
            .Should().Be(staged.Value.Value);
        repo.Git("rev-parse", "v0.6.0^{commit}").Should().Be(repo.Head);
        RemoveDockerImages("cip-release/promoter:v0.6.0", $"{Staging}/promoter:v0.6.0");
    }

    /// <summary>Cleanup: <c>docker rmi --force</c>, whatever its exit code (an image may already be gone).</summary>
    private static void RemoveDockerImages(params string[] references) => ExternalTool.Run("docker", ["rmi", "--force", .. references]);

    /// <summary>
    /// A repository whose first commit (VERSION 0.1.0 plus this project's images/release/) is tagged v0.1.0, with
    /// a bare clone as <c>origin</c>, and whose head commit sets VERSION to <paramref name="version"/>.
    /// </summary>
    private ScriptedRepository BumpedRepository(string version, out string remote, params (string File, string? Content)[] more)
    {
        var repo = ScriptedRepository.CreateEmpty();
        CopyFolder(Path.Combine(RepositoryRoot, "images/release"), Path.Combine(repo.Path, "images/release"));
        repo.Commit("Release 0.1.0", ("VERSION", "0.1.0\n"));
        repo.Git("tag", "v0.1.0");
        remote = Temp();
        repo.Git("init", "--quiet", "--bare", remote);
        repo.Git("remote", "add", "origin", remote);
        repo.Commit($"VERSION {version}", [("VERSION", version + "\n"), .. more]);
        return repo;
    }

    private static async Task<Digest?> HeadAsync(TestRegistry registry, string repository, string tag)
    {
        using var client = registry.CreateClient();
        return (await client.HeadManifestAsync(repository, tag))?.Digest;
    }

    private static async Task<IReadOnlyList<string>> TagsAsync(TestRegistry registry, string repository)
    {
        using var client = registry.CreateClient();
        return await client.ListTagsAsync(repository);
    }

    private string Temp()
    {
        var folder = Directory.CreateTempSubdirectory("promote-release-").FullName;
        _cleanup.Add(new FolderCleanup(folder));
        return folder;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    internal static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Promoter.slnx"))) return dir.FullName;
            throw new InvalidOperationException("Promoter.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public void Dispose()
    {
        foreach (var item in _cleanup) item.Dispose();
    }

    private sealed class FolderCleanup(string folder) : IDisposable
    {
        public void Dispose()
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
