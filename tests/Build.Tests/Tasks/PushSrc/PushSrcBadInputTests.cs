using System.Text.RegularExpressions;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.PushSrc;

/// <summary>
/// PushSrc with bad archives and unreachable or refusing registries: one clear error naming the archive or reference,
/// a non-zero exit, and nothing half-pushed (no manifest in the registry whose blobs are missing).
/// </summary>
public sealed partial class PushSrcBadInputTests(RegistryFixture shared) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly GoldenScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    /// <summary>A golden set of a good image (bar) followed by <paramref name="badArchive"/> as foo.</summary>
    private string GoodThenBad(string badArchive)
    {
        _scratch.CopyUpstream("bar/1.0.tar", "bar.tar");
        return _scratch.GoldenSet("golden.yaml", $"""
            images:
              - name: bar
                archive: bar.tar
                repository: golden-bar/bar
                tags: ["1.0"]
                platform: linux/amd64
              - name: foo
                archive: {badArchive}
                repository: golden-foo/foo
                tags: ["1.0"]
                platform: linux/amd64
            """);
    }

    [Theory]
    [InlineData("truncated", "not a readable tar file (truncated or corrupt)")]
    [InlineData("layer-sha256", "layer '")]
    [InlineData("missing-config", "is missing from the archive")]
    [InlineData("unknown-media-type", "unknown manifest media type 'application/vnd.example.unknown+json'")]
    public async Task A_bad_archive_stops_the_oci_engine_before_anything_is_pushed(string kind, string expected)
    {
        var archive = MakeBad(kind);
        var prefix = $"bad-{kind}";

        var result = PushSrc(GoodThenBad(Path.GetFileName(archive)), "oci", $"{shared.Registry.Host}/{prefix}");

        result.ExitCode.Should().NotBe(0);
        ErrorLine(result).Should().StartWith(archive + ":").And.Contain(expected);
        if (kind == "layer-sha256") ErrorLine(result).Should().MatchRegex("has sha256 sha256:[0-9a-f]{64}; expected sha256:e80bbb53");
        (await RegistryChecks.ManifestsUnderAsync(shared.Client, shared.Registry.StorageRoot, prefix)).Should().BeEmpty(
            "bar comes first in the set but must not be pushed when foo's archive is bad");
        (await RegistryChecks.IncompleteManifestsAsync(shared.Client, shared.Registry.StorageRoot)).Should().BeEmpty();
    }

    [ToolFact("docker")]
    public async Task A_corrupt_layer_of_an_image_docker_already_has_is_refused_by_the_docker_engine()
    {
        // Docker skips a layer whose chain it already has; load the good archive first so that the corrupt copy would
        // otherwise "load" and push the good image.
        var good = PushUpstream("docker", $"{shared.Registry.Host}/docker-good", target: "LoadTarballs");
        good.ExitCode.Should().Be(0, good.Output);

        var archive = MakeBad("layer-sha256");
        var result = PushSrc(GoodThenBad(Path.GetFileName(archive)), "docker", $"{shared.Registry.Host}/bad-docker-layer");

        result.ExitCode.Should().NotBe(0);
        ErrorLine(result).Should().StartWith(archive + ":").And.Contain("has sha256").And.Contain("rootfs.diff_ids[0]");
        result.Output.Should().NotContain("docker load --quiet", "nothing is docker-loaded when an archive fails verification");
        (await RegistryChecks.ManifestsUnderAsync(shared.Client, shared.Registry.StorageRoot, "bad-docker-layer")).Should().BeEmpty();
    }

    [Fact]
    public void A_registry_that_refuses_connections_is_named_with_the_reference_being_pushed()
    {
        var result = PushUpstream("oci", "127.0.0.1:1/x");

        result.ExitCode.Should().NotBe(0);
        ErrorLine(result).Should().Contain("PushSrc to 127.0.0.1:1/x").And.Contain("registry 127.0.0.1:1 refused the connection")
            .And.Contain("127.0.0.1:1/x/golden-bar/bar@sha256:");
    }

    [ToolFact("docker")]
    public void A_registry_that_refuses_connections_is_named_by_the_docker_engine()
    {
        var result = PushUpstream("docker", "127.0.0.1:1/x");

        result.ExitCode.Should().NotBe(0);
        // Images are pushed concurrently, so whichever push fails first is reported; it must name its reference.
        ErrorLine(result).Should().MatchRegex(@"docker push --quiet ""127\.0\.0\.1:1/(cip-scratch/)?x/golden-(bar/bar|foo/foo):[^""]+""")
            .And.Contain("connection refused");
    }

    [Fact]
    public async Task A_registry_that_requires_credentials_gives_a_401_naming_the_reference_and_nothing_is_pushed()
    {
        var credentials = Directory.CreateDirectory(Path.Combine(_scratch.Folder, "docker-config")).FullName;
        using var tokens = new TestTokenServer("robot", "s3cret-pass", _scratch.Folder);
        using var registry = await TestRegistry.StartAsync(new RegistryOptions { Token =
            new RegistryTokenAuth(tokens.Realm, TestTokenServer.Service, TestTokenServer.Issuer, tokens.CertificatePath) });
        // An empty docker config: no credentials.
        var result = BuildProgram.RunWith(new Dictionary<string, string?> { ["DOCKER_CONFIG"] = credentials },
            "--target", "PushSrc", "--engine=oci", $"--registry={registry.Host}/secured", $"--golden={BuildProgram.UpstreamGoldenSet}");

        result.ExitCode.Should().NotBe(0);
        ErrorLine(result).Should().Contain($"PushSrc to {registry.Host}/secured").And.Contain("401")
            .And.Contain("no credentials were given").And.Contain($"{registry.Host}/secured/golden-bar/bar");

        using var admin = registry.CreateClient(new RegistryClientOptions { Credential = new RegistryCredential("robot", "s3cret-pass") });
        (await admin.ListRepositoriesAsync()).Should().BeEmpty("nothing may be pushed without credentials");
    }

    private string MakeBad(string kind) => kind switch
    {
        "truncated" => _scratch.Truncated("foo/1.0-linux_amd64.tar", "truncated.tar", 15000),
        "layer-sha256" => _scratch.Rewritten("bar/1.0.tar", "bad-layer.tar", (name, content) =>
        {
            if (!name.StartsWith("aceea92a", StringComparison.Ordinal) || !name.EndsWith("layer.tar", StringComparison.Ordinal)) return content;
            var changed = content!.ToArray();
            changed[600] ^= 0x20; // one byte of the first file's data in the layer tar
            return changed;
        }),
        "missing-config" => _scratch.Rewritten("bar/1.0.tar", "no-config.tar", (name, content) =>
            name == "13e6f4d1f4e0e6efd8b53bad5f79388288bebafb7124c0d4397b2277042d8cf4.json" ? null : content),
        "unknown-media-type" => _scratch.OciLayout("unknown-media-type.tar", "application/vnd.example.unknown+json"),
        "oci-layout" => _scratch.OciLayout("oci-layout.tar", "application/vnd.oci.image.manifest.v1+json"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Runs <paramref name="target"/> on a scratch golden set whose archives are the scratch archives.</summary>
    private HostRunner.Result PushSrc(string goldenSet, string engine, string registry, string target = "PushSrc") =>
        BuildProgram.Run("--target", target, $"--engine={engine}", $"--registry={registry}",
            $"--golden={goldenSet}", $"--golden-archives={_scratch.Archives}");

    /// <summary>Runs <paramref name="target"/> on upstream's golden set (its archives are where its archiveRoot says).</summary>
    private static HostRunner.Result PushUpstream(string engine, string registry, string target = "PushSrc") =>
        BuildProgram.Run("--target", target, $"--engine={engine}", $"--registry={registry}", $"--golden={BuildProgram.UpstreamGoldenSet}");

    /// <summary>The one "Error: ..." line of the output (the build program reports the failure once).</summary>
    private static string ErrorLine(HostRunner.Result result)
    {
        var errors = ErrorLines().Matches(result.Output).Select(m => m.Groups[1].Value.TrimEnd('\r')).ToList();
        errors.Should().ContainSingle(result.Output);
        return errors[0];
    }

    [GeneratedRegex(@"^Error: (.*)$", RegexOptions.Multiline)]
    private static partial Regex ErrorLines();
}
