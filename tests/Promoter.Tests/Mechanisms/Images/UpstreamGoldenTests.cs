using FluentAssertions;
using Promoter.Oci;
using Xunit;
using Promoter.Archives;
using Promoter.Golden;

namespace Promoter.Tests.Images;

/// <summary>Upstream CIP's golden set (images/golden/upstream/golden.yaml): rebuilt byte for byte from its description.</summary>
public class UpstreamGoldenTests
{
    private static string UpstreamYaml => Path.Combine(ImageTestData.UpstreamRoot, "golden.yaml");

    /// <summary>The sha256 of upstream's own archives (promo-tools test-e2e/golden-images at commit 06672f51).</summary>
    private static readonly (string Archive, string Sha256)[] UpstreamSha256 =
    [
        ("bar/1.0.tar", "sha256:5d9084354662ddd0eedf65de75c1cae1b0ab5c838e01a5b415a9dfe305185a5d"),
        ("foo/1.0-linux_amd64.tar", "sha256:1babdff88054eb0540d181111585c28e37869568b03bb1ab114c0981f53c46cc"),
        ("foo/1.0-linux_s390x.tar", "sha256:4f4fd930980ef3920cdda94f539f3e44ec30cd49a6021c29f4e8513487e47788"),
        ("foo/NOTAG-0.tar", "sha256:6f4e5d3f37643e0318814d85edb950fd80cbeec2eb5b9abe80073ff3622e14d3"),
    ];

    [Fact]
    public void A_fresh_build_gives_upstreams_archives_byte_for_byte()
    {
        var set = GoldenSet.Load(UpstreamYaml);
        using var temp = new TempFolder();

        var built = GoldenBuilder.Build(set, temp.Path);

        built.Select(a => (a.Archive, a.Sha256.Value)).Should().Equal(UpstreamSha256);
        built.Should().OnlyContain(a => a.Size == 31232);
    }

    [Fact]
    public void The_committed_archives_are_upstreams_and_equal_a_fresh_build()
    {
        var set = GoldenSet.Load(UpstreamYaml);
        set.ArchiveRoot.Should().Be(ImageTestData.ArchiveRoot);
        foreach (var (archive, sha256) in UpstreamSha256)
            Digest.Of(File.ReadAllBytes(ImageTestData.Archive(archive))).Value.Should().Be(sha256, archive);

        GoldenBuilder.Verify(set, set.ArchiveRoot).Should().BeEmpty();
    }

    [Fact]
    public void Without_the_saver_time_zone_the_layers_and_config_stay_but_the_archive_differs()
    {
        // The time zone is a fact of upstream's archives the image itself does not hold: only the v1 folders show it.
        using var temp = new TempFolder();
        var image = GoldenSet.Load(UpstreamYaml).Image("bar");
        var golden = GoldenBuilder.ToGoldenImage(image);
        golden.SavedInTimeZone.Should().Be(TimeSpan.FromHours(-5));
        DockerSaveWriter.Write(golden with { SavedInTimeZone = TimeSpan.Zero }, temp.File("utc.tar"));

        Digest.Of(File.ReadAllBytes(temp.File("utc.tar"))).Value.Should().NotBe(UpstreamSha256[0].Sha256);
        var utc = DockerArchive.Open(temp.File("utc.tar")).Images[0];
        var upstream = DockerArchive.Open(ImageTestData.Archive("bar/1.0.tar")).Images[0];
        utc.ConfigBytes.Should().Equal(upstream.ConfigBytes);
        utc.Layers.Select(l => l.DiffId).Should().Equal(upstream.Layers.Select(l => l.DiffId));
    }
}
