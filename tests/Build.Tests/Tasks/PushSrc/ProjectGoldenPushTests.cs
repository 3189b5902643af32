using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Oci;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.PushSrc;

/// <summary>
/// PushSrc of the project's own golden set (images/golden/golden.yaml: a three-platform manifest list, its children and a
/// tagless image) with each engine: every reported reference reads back identically through the registry client and
/// skopeo, and the list's children and platforms are the golden set's.
/// </summary>
public sealed class ProjectGoldenPushTests(RegistryFixture shared) : IClassFixture<RegistryFixture>
{
    // The oci engine's digests of the project's golden set (pinned by manifests/e2e/tests.yaml and its fixtures).
    private static readonly Dictionary<string, string> OciDigests = new()
    {
        ["golden-bar/bar:1.0"] = GoldenDigests.Project.Bar,
        ["golden-foo/foo:1.0-linux_amd64"] = GoldenDigests.Project.FooAmd64,
        ["golden-foo/foo:1.0-linux_s390x"] = GoldenDigests.Project.FooS390x,
        ["golden-foo/foo:1.0-linux_arm64"] = GoldenDigests.Project.FooArm64,
        ["golden-foo/foo@"] = GoldenDigests.Project.FooTagless,
        ["golden-foo/foo:1.0"] = GoldenDigests.Project.FooList,
    };

    [Fact]
    public async Task Oci_engine_pushes_the_project_golden_set_with_its_pinned_digests()
    {
        var pushed = await PushAndReadBackAsync("oci", "project-oci");

        pushed.Should().BeEquivalentTo(OciDigests);
        await CheckListAsync("project-oci");
    }

    [ToolFact("docker")]
    public async Task Docker_engine_pushes_the_project_golden_set_and_both_clients_agree()
    {
        var pushed = await PushAndReadBackAsync("docker", "project-docker");

        pushed.Keys.Should().BeEquivalentTo(OciDigests.Keys);
        await CheckListAsync("project-docker");
    }

    /// <summary>Runs PushSrc and returns reference key -> digest, after checking each against the client and skopeo.</summary>
    private async Task<Dictionary<string, string>> PushAndReadBackAsync(string engine, string prefix)
    {
        var host = shared.Registry.Host;
        var result = BuildProgram.Run("--target", "PushSrc", $"--engine={engine}", $"--registry={host}/{prefix}");
        result.ExitCode.Should().Be(0, result.Output);

        var pushed = new Dictionary<string, string>();
        foreach (var (reference, repository, tagOrDigest, key, digest) in RegistryChecks.PushedReferences(result.Output, host, prefix))
        {
            var fromClient = await shared.Client.GetManifestAsync(repository, tagOrDigest);
            var fromSkopeo = RegistryChecks.SkopeoRaw(reference);
            Digest.Of(fromClient.Bytes).Value.Should().Be(digest, $"the client's bytes of {reference}");
            fromSkopeo.Should().Equal(fromClient.Bytes, $"skopeo reads the same bytes of {reference}");
            pushed[key] = digest;
        }
        (await RegistryChecks.IncompleteManifestsAsync(shared.Client, shared.Registry.StorageRoot)).Should().BeEmpty();
        return pushed;
    }

    /// <summary>The list golden-foo/foo:1.0 names the three platform images, s390x and arm64 included.</summary>
    private async Task CheckListAsync(string prefix)
    {
        var list = (await shared.Client.GetManifestAsync($"{prefix}/golden-foo/foo", "1.0")).Parse("golden-foo/foo:1.0");
        list.IsIndex.Should().BeTrue();
        list.Manifests.Select(m => m.Platform!.ToString()).Should().BeEquivalentTo(["linux/amd64", "linux/s390x", "linux/arm64"]);
        foreach (var child in list.Manifests)
            (await shared.Client.HeadManifestAsync($"{prefix}/golden-foo/foo", child.Digest)).Should().NotBeNull(child.Digest);
    }

}
