using System.Text.RegularExpressions;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Golden;
using Promoter.Images;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.PurgeDest;

/// <summary>
/// PurgeDest through the real build program: it empties the destinations of an e2e file, and refuses a registry the
/// file does not list or one served from a non-loopback address before touching any registry.
/// </summary>
public sealed partial class PurgeDestTests(ThreeRegistries registries) : IClassFixture<ThreeRegistries>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("purge-dest-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Empties_the_destination_the_file_lists_and_leaves_the_source_and_unlisted_registries_alone()
    {
        var source = $"{registries.Source.Host}/staging-empties";
        var destination = $"{registries.Destination.Host}/prod-empties";
        var unlisted = $"{registries.Third.Host}/other-empties";
        await SeedAsync(registries.Source, "staging-empties");
        await SeedAsync(registries.Destination, "prod-empties");
        await SeedAsync(registries.Third, "other-empties");
        await SeedAsync(registries.Destination, "prod-neighbour"); // same registry, outside the purged prefix
        var file = E2EFile(source, destination);

        var result = BuildProgram.Run("--target", "PurgeDest", $"--e2e-file={file}",
            $"--registry-storage={registries.Destination.Host}={registries.Destination.StorageRoot}");

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain($"purging 1 destination registry of {file}: {destination}")
            .And.Contain("purged: 2 repositories: 1 index(es) and 4 manifest(s) deleted").And.NotContain("no storage folder is known");
        (await ManifestsAsync(registries.Destination, "prod-empties")).Should().BeEmpty("the destination is emptied, tagless images included");
        (await ManifestsAsync(registries.Destination, "prod-neighbour")).Should().HaveCount(5);
        (await ManifestsAsync(registries.Source, "staging-empties")).Should().HaveCount(5, "the source is not a destination");
        (await ManifestsAsync(registries.Third, "other-empties")).Should().HaveCount(5);
    }

    [Fact]
    public async Task Without_the_storage_folder_the_tagless_image_is_left_and_the_output_says_so()
    {
        var source = $"{registries.Source.Host}/staging-api-only";
        var destination = $"{registries.Destination.Host}/prod-api-only";
        await SeedAsync(registries.Destination, "prod-api-only");
        var file = E2EFile(source, destination);

        var result = BuildProgram.Run("--target", "PurgeDest", $"--e2e-file={file}");

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain($"{destination}: no storage folder is known for {registries.Destination.Host}");
        (await ManifestsAsync(registries.Destination, "prod-api-only")).Should().Equal(
            "prod-api-only/golden-foo/foo@" + GoldenDigests.Upstream.FooTagless);
    }

    [Fact]
    public async Task Refuses_a_registry_the_file_does_not_list_before_touching_the_listed_one()
    {
        var source = $"{registries.Source.Host}/staging-unlisted";
        var destination = $"{registries.Destination.Host}/prod-unlisted";
        var unlisted = $"{registries.Third.Host}/other-unlisted";
        await SeedAsync(registries.Destination, "prod-unlisted");
        await SeedAsync(registries.Third, "other-unlisted");
        var file = E2EFile(source, destination);

        var result = BuildProgram.Run("--target", "PurgeDest", $"--e2e-file={file}", $"--purge-registries={destination},{unlisted}");

        result.ExitCode.Should().NotBe(0);
        ErrorText(result).Should().Contain($"refusing to purge registry '{unlisted}': it is not one of the registries the test lists");
        (await ManifestsAsync(registries.Destination, "prod-unlisted")).Should().HaveCount(5, "nothing is purged when one registry is refused");
        (await ManifestsAsync(registries.Third, "other-unlisted")).Should().HaveCount(5);
    }

    [Fact]
    public async Task Refuses_the_source_registry_of_the_file()
    {
        var source = $"{registries.Source.Host}/staging-source";
        var destination = $"{registries.Destination.Host}/prod-source";
        await SeedAsync(registries.Source, "staging-source");
        var file = E2EFile(source, destination);

        var result = BuildProgram.Run("--target", "PurgeDest", $"--e2e-file={file}", $"--purge-registries={source}");

        result.ExitCode.Should().NotBe(0);
        ErrorText(result).Should().Contain($"refusing to purge registry '{source}': it is a source registry of {file}");
        (await ManifestsAsync(registries.Source, "staging-source")).Should().HaveCount(5);
    }

    [Theory]
    [InlineData("aliased")]
    [InlineData("named")]
    public async Task Refuses_a_destination_served_from_a_non_loopback_address_before_touching_the_loopback_one(string how)
    {
        var source = $"{registries.Source.Host}/staging-remote-{how}";
        var destination = $"{registries.Destination.Host}/prod-remote-{how}";
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a real host. With an alias the listed name is served from it;
        // without, the name itself is not loopback. Either way no request may be made.
        var remote = how == "aliased" ? "prod-mirror.test/cip" : "registry.example.com/cip";
        await SeedAsync(registries.Destination, $"prod-remote-{how}");
        var file = E2EFile(source, destination, remote);

        string[] args = ["--target", "PurgeDest", $"--e2e-file={file}"];
        if (how == "aliased") args = [.. args, "--registry-aliases=prod-mirror.test=192.0.2.1:5000"];
        var result = BuildProgram.Run(args);

        result.ExitCode.Should().NotBe(0);
        var served = how == "aliased" ? "192.0.2.1:5000" : "registry.example.com";
        ErrorText(result).Should().Contain($"refusing to purge registry '{remote}': it is served from {served}, which is not a loopback address");
        (await ManifestsAsync(registries.Destination, $"prod-remote-{how}")).Should().HaveCount(5,
            "the loopback destination is kept when another destination is refused");
    }

    [Theory]
    [InlineData("parent")]
    [InlineData("child")]
    [InlineData("localhost")]
    [InlineData("ipv6")]
    [InlineData("bare-host")]
    public async Task Refuses_a_destination_that_overlaps_the_source_and_deletes_nothing(string how)
    {
        var port = registries.Source.Host[(registries.Source.Host.LastIndexOf(':') + 1)..];
        var source = $"{registries.Source.Host}/overlap-{how}/staging";
        // Each destination names the source's repositories another way: a parent path, a path inside it, the same
        // registry through another loopback spelling, or the bare host.
        var overlapping = how switch
        {
            "parent" => $"{registries.Source.Host}/overlap-{how}",
            "child" => $"{registries.Source.Host}/overlap-{how}/staging/golden-foo",
            "localhost" => $"localhost:{port}/overlap-{how}/staging",
            "ipv6" => $"[::1]:{port}/overlap-{how}",
            _ => $"localhost:{port}",
        };
        var destination = $"{registries.Destination.Host}/prod-overlap-{how}";
        await SeedAsync(registries.Source, $"overlap-{how}/staging");
        await SeedAsync(registries.Destination, $"prod-overlap-{how}");
        var file = E2EFile(source, destination, overlapping);

        var result = BuildProgram.Run("--target", "PurgeDest", $"--e2e-file={file}",
            $"--registry-storage={registries.Source.Host}={registries.Source.StorageRoot}");

        result.ExitCode.Should().NotBe(0);
        ErrorText(result).Should().Contain($"refusing to purge registry '{overlapping}': it overlaps the source registry '{source}'");
        (await ManifestsAsync(registries.Source, $"overlap-{how}/staging")).Should().HaveCount(5, "the source keeps everything");
        (await ManifestsAsync(registries.Destination, $"prod-overlap-{how}")).Should().HaveCount(5, "the whole purge is refused before any request");
    }

    [Fact]
    public async Task Refuses_a_registry_name_with_user_info_and_never_shows_the_secret()
    {
        var source = $"{registries.Source.Host}/staging-userinfo";
        // 192.0.2.1 is TEST-NET-1: were the name taken at face value, the client would contact it.
        var hostile = "admin:s3cr3t-pass@192.0.2.1:5000/prod";
        var destination = $"{registries.Destination.Host}/prod-userinfo";
        await SeedAsync(registries.Destination, "prod-userinfo");
        var file = E2EFile(source, destination, hostile);

        var result = BuildProgram.Run("--target", "PurgeDest", $"--e2e-file={file}", "--verbosity", "diagnostic");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("user-info").And.NotContain("s3cr3t-pass");
        (await ManifestsAsync(registries.Destination, "prod-userinfo")).Should().HaveCount(5);
    }

    /// <summary>Pushes the upstream golden set (5 manifests, one tagless) under <paramref name="prefix"/>.</summary>
    private static async Task SeedAsync(TestRegistry registry, string prefix)
    {
        var set = GoldenSet.Load(BuildProgram.UpstreamGoldenSet);
        using var pool = new RegistryPool(_ => new RegistryClientOptions());
        var engine = new OciImageEngine(pool);
        await GoldenPublisher.PushAsync(engine, await GoldenPublisher.LoadAsync(engine, set), $"{registry.Host}/{prefix}");
        (await ManifestsAsync(registry, prefix)).Should().HaveCount(5);
    }

    private static async Task<IReadOnlyList<string>> ManifestsAsync(TestRegistry registry, string prefix)
    {
        using var client = registry.CreateClient();
        return await RegistryChecks.ManifestsUnderAsync(client, registry.StorageRoot, prefix);
    }

    private string E2EFile(string source, params string[] destinations)
    {
        var path = Path.Combine(_folder, $"tests-{Guid.NewGuid():N}.yaml");
        var registryLines = string.Concat(new[] { source }.Concat(destinations).Select(r =>
            $"\n  - name: \"{r}\"\n    service-account: promoter@example.iam.gserviceaccount.com"));
        File.WriteAllText(path, $"""
            - name: purge
              registries:{registryLines}
              invocation:
              - "--manifest=$PWD/promoter-manifest.yaml"
              snapshots: []
            """);
        return path;
    }

    private static string ErrorText(HostRunner.Result result)
    {
        var match = ErrorLine().Match(result.Output);
        match.Success.Should().BeTrue(result.Output);
        return result.Output[match.Index..];
    }

    [GeneratedRegex(@"^Error: ", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();
}
