using Build.Tests.Host;
using FluentAssertions;
using Promoter.Oci;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Golden;

/// <summary>
/// PushSrc of the project's own golden set (images/golden/golden.yaml: a three-platform manifest list, its children and a
/// tagless image) with each engine: every reported reference reads back identically through the registry client and
/// skopeo, and the list's children and platforms are the golden set's.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ProjectGoldenPushTests(SharedRegistry shared) : IClassFixture<SharedRegistry>
{
    // The oci engine's digests of the project's golden set (pinned by manifests/e2e/tests.yaml and its fixtures).
    private static readonly Dictionary<string, string> OciDigests = new()
    {
        ["golden-bar/bar:1.0"] = "sha256:fffee9412bc1dfafab09b7dba7772595a985c7d89f1889cd37d53decd4d49234",
        ["golden-foo/foo:1.0-linux_amd64"] = "sha256:517bcc5ed5196d0d23b700983f51c11acad35f005e961fc66e325c05766354f4",
        ["golden-foo/foo:1.0-linux_s390x"] = "sha256:b49863234f27a8320b8fcbdfb2705a5bbee36f151fa35ec0f0058b3709961b47",
        ["golden-foo/foo:1.0-linux_arm64"] = "sha256:b1080bf8f2f0cad8e52b748a33c241d23a369ac2378e946b2e3dd1ae0a3f21df",
        ["golden-foo/foo@"] = "sha256:15e11c253c4e7ba99aca2126680a52d5d22a25a250a96468558b515e27150f60",
        ["golden-foo/foo:1.0"] = "sha256:c468db675d48aac93bad9258fb5fd9fbb3615f204bbe60bb770c1a069240e1ed",
    };

    [Fact]
    public async Task Oci_engine_pushes_the_project_golden_set_with_its_pinned_digests()
    {
        var pushed = await PushAndReadBackAsync("oci", "project-oci");

        pushed.Should().BeEquivalentTo(OciDigests);
        await CheckListAsync("project-oci");
    }

    [DockerFact]
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
