using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.PushSrc;

/// <summary>
/// PushSrc of the upstream golden set, run through the real build program, into a registry the test started: every
/// reference it reports is read back with the registry client and with skopeo, and the digests agree.
/// </summary>
public sealed class PushSrcTests(RegistryFixture shared) : IClassFixture<RegistryFixture>
{
    // The digests the oci engine gives for the upstream archives (also pinned by manifests/e2e/upstream-oci/tests.yaml).
    private static readonly Dictionary<string, string> OciDigests = new()
    {
        ["golden-bar/bar:1.0"] = GoldenDigests.Upstream.Bar,
        ["golden-foo/foo:1.0-linux_amd64"] = GoldenDigests.Upstream.FooAmd64,
        ["golden-foo/foo:1.0-linux_s390x"] = GoldenDigests.Upstream.FooS390x,
        ["golden-foo/foo@"] = GoldenDigests.Upstream.FooTagless,
        ["golden-foo/foo:1.0"] = GoldenDigests.Upstream.FooList,
    };

    // The digests upstream CIP pinned for its docker push flow (manifests/e2e/upstream/fixture/sanity and recursive-thin).
    private static readonly Dictionary<string, string> UpstreamDigests = new()
    {
        ["golden-bar/bar:1.0"] = "sha256:dd19dc426fa901c12e9a2eeeef8d9ad6c24f50840b8121ccffbba40b5500cb5b",
        ["golden-foo/foo:1.0-linux_amd64"] = "sha256:64b870d27522b175b4778d4bf57b5f7f2495db4269bf227aa193f435272644e2",
        ["golden-foo/foo:1.0-linux_s390x"] = "sha256:d66f4b0bab4061ef6244f93bea2d414923e7504d92c77a91998c23f909033b02",
        ["golden-foo/foo@"] = "sha256:27ba895d293e5e3192b2bb57f0126f923b48d20221bb017e899ca3f5af74f738",
        ["golden-foo/foo:1.0"] = "sha256:b7efc8e6778e8e096d527862365ca8e7f351d1555e11bcf7d230a18b9ba72b34",
    };

    [Fact]
    public async Task Oci_engine_pushes_the_golden_set_with_its_deterministic_digests_and_a_second_run_uploads_nothing()
    {
        var prefix = "oci-engine";
        var logAtStart = RegistryLog();
        var first = PushSrc("oci", prefix);
        NewLines(logAtStart, RegistryLog()).Should().Contain(l => l.Contains("/blobs/uploads/"), "the log shows the first push's uploads");
        await CheckPushedAsync(first, prefix, OciDigests);
        first.Output.Should().Contain("blob(s) uploaded").And.NotContain(" 0 blob(s) uploaded");

        var logBefore = RegistryLog();
        var second = PushSrc("oci", prefix);
        // 10 distinct (repository, blob) pairs: golden-bar/bar has 3, golden-foo/foo 7 (three configs, three data layers,
        // and the empty layer the three images share, checked once).
        second.Output.Should().Contain("pushed 5 reference(s): 0 blob(s) uploaded, 10 already present, 0 manifest write(s)");
        NewLines(logBefore, RegistryLog()).Should().NotContain(l => l.Contains("/blobs/uploads/"),
            "the second push must start no blob upload in the registry");
        await CheckPushedAsync(second, prefix, OciDigests);
    }

    [ToolFact("docker")]
    public async Task Docker_engine_pushes_the_golden_set_with_upstreams_pinned_digests_and_a_second_run_uploads_nothing()
    {
        var prefix = "docker-engine";
        var first = PushSrc("docker", prefix);
        await CheckPushedAsync(first, prefix, UpstreamDigests);

        var logBefore = RegistryLog();
        var second = PushSrc("docker", prefix);
        NewLines(logBefore, RegistryLog()).Should().NotContain(l => l.Contains("/blobs/uploads/"),
            "docker push finds every layer already in the registry the second time");
        await CheckPushedAsync(second, prefix, UpstreamDigests);
    }

    private HostRunner.Result PushSrc(string engine, string prefix)
    {
        var result = BuildProgram.Run("--target", "PushSrc", $"--engine={engine}", $"--registry={shared.Registry.Host}/{prefix}",
            $"--golden={BuildProgram.UpstreamGoldenSet}");
        result.ExitCode.Should().Be(0, result.Output);
        return result;
    }

    /// <summary>
    /// Checks every "reference digest" line of the output: the registry client and skopeo read the same manifest bytes,
    /// whose sha256 is the reported digest and the expected one; the tagless image is reachable by digest but no tag
    /// of its repository points at it; and no manifest in the registry lacks a blob.
    /// </summary>
    private async Task CheckPushedAsync(HostRunner.Result result, string prefix, IReadOnlyDictionary<string, string> expected)
    {
        var host = shared.Registry.Host;
        var pushed = RegistryChecks.PushedReferences(result.Output, host, prefix);
        pushed.Select(p => p.Key).Should().BeEquivalentTo(expected.Keys, result.Output);

        foreach (var (reference, repository, tagOrDigest, key, digest) in pushed)
        {
            digest.Should().Be(expected[key], $"{reference} is pinned");

            var fromClient = await shared.Client.GetManifestAsync(repository, tagOrDigest);
            var fromSkopeo = RegistryChecks.SkopeoRaw(reference);

            fromClient.Digest.Value.Should().Be(digest, reference);
            RegistryChecks.DigestOf(fromClient.Bytes).Value.Should().Be(digest, $"the client's bytes of {reference}");
            RegistryChecks.DigestOf(fromSkopeo).Value.Should().Be(digest, $"skopeo's bytes of {reference}");
            fromSkopeo.Should().Equal(fromClient.Bytes);
        }

        var tagless = pushed.Single(p => p.Reference.Contains('@'));
        var fooRepository = $"{prefix}/golden-foo/foo";
        (await shared.Client.HeadManifestAsync(fooRepository, tagless.Digest)).Should().NotBeNull("the tagless image is present by digest");
        var tags = await shared.Client.ListTagsAsync(fooRepository);
        tags.Should().BeEquivalentTo(["1.0", "1.0-linux_amd64", "1.0-linux_s390x"], "the tagless image leaves no tag");
        foreach (var tag in tags)
            (await shared.Client.HeadManifestAsync(fooRepository, tag))!.Digest.Value.Should().NotBe(tagless.Digest, $"tag {tag}");

        (await RegistryChecks.IncompleteManifestsAsync(shared.Client, shared.Registry.StorageRoot)).Should().BeEmpty();
    }

    private string[] RegistryLog() => shared.Registry.LogTail.Split('\n');

    /// <summary>The registry log lines of <paramref name="after"/> not in <paramref name="before"/>; fails when the tail
    /// may have dropped some (no line of <paramref name="before"/> left).</summary>
    private static IReadOnlyList<string> NewLines(string[] before, string[] after)
    {
        var old = before.ToHashSet(StringComparer.Ordinal);
        after.Should().Contain(l => old.Contains(l), "the registry log tail must still overlap the earlier tail, or lines were lost");
        return after.Where(l => !old.Contains(l)).ToList();
    }
}
