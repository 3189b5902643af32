using System.Formats.Tar;
using System.Text;
using FluentAssertions;
using Promoter.Images;
using Promoter.Oci;
using Xunit;

namespace Promoter.Tests.Images;

public class GoldenImageWriterTests
{
    private static GoldenImage S390x() => GoldenImageWriter.UpstreamShape("foo", "1.0-linux_s390x", "linux_s390x", "amd64",
        ["gcr.io/k8s-staging-cip-test/golden-foo/foo:1.0-linux_s390x"]);

    [Fact]
    public void Two_runs_write_byte_identical_archives()
    {
        using var temp = new TempFolder();
        GoldenImageWriter.Write(S390x(), temp.File("a.tar"));
        GoldenImageWriter.Write(S390x(), temp.File("b.tar"));

        var a = File.ReadAllBytes(temp.File("a.tar"));
        a.Length.Should().BeGreaterThan(20 * 1024);
        File.ReadAllBytes(temp.File("b.tar")).Should().Equal(a);
    }

    [Fact]
    public void Written_archive_reads_back_through_DockerArchive()
    {
        using var temp = new TempFolder();
        var image = new GoldenImage(
            [new GoldenLayer([new GoldenFile("etc/x/b.txt", "b"u8.ToArray(), 0x1A4), new GoldenFile("a", "a\n"u8.ToArray())]), new GoldenLayer([])],
            "arm64", ["example.test/x/y:1", "example.test/x/y:2"], Os: "linux");
        var path = temp.File("x.tar");
        GoldenImageWriter.Write(image, path);

        var archive = DockerArchive.Open(path);
        var read = archive.Images.Should().ContainSingle().Subject;
        read.RepoTags.Should().Equal("example.test/x/y:1", "example.test/x/y:2");
        read.Platform.Should().Be(new Platform("arm64", "linux"));
        read.Layers.Select(l => l.DiffId).Should().Equal(image.Layers.Select(l => Digest.Of(GoldenImageWriter.WriteLayer(l))));

        using var layer = archive.OpenLayer(read.Layers[0]);
        using var reader = new TarReader(layer);
        var entries = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add($"{entry.Name} {entry.EntryType} {Convert.ToString((int)entry.Mode, 8)} {entry.Uid}:{entry.Gid} {entry.ModificationTime.ToUnixTimeSeconds()} '{(entry as PosixTarEntry)?.UserName}{(entry as PosixTarEntry)?.GroupName}'");
        }
        entries.Should().Equal(
            "./ Directory 755 0:0 0 ''",
            "./a RegularFile 555 0:0 0 ''",
            "./etc/ Directory 755 0:0 0 ''",
            "./etc/x/ Directory 755 0:0 0 ''",
            "./etc/x/b.txt RegularFile 644 0:0 0 ''");
    }

    [Fact]
    public void Upstream_shape_matches_the_upstream_archive_structure_layers_and_config()
    {
        foreach (var (relative, name, tag) in ImageTestData.Upstream)
        {
            var upstreamPath = ImageTestData.Archive(relative);
            var upstream = DockerArchive.Open(upstreamPath);
            var dataFile = ReadLayerFiles(upstream, 0).Single();
            var segments = dataFile.Split('/'); // . golden <img> [<subdir>] <tag>
            var subdir = segments.Length == 5 ? segments[3] : null;
            using var temp = new TempFolder();
            var path = temp.File("golden.tar");
            GoldenImageWriter.Write(GoldenImageWriter.UpstreamShape(name, tag, subdir, "amd64", upstream.Images[0].RepoTags), path);
            var written = DockerArchive.Open(path);

            // Layers and config are byte-identical to upstream's, so the pushable manifest is too.
            written.Images[0].Layers.Select(l => l.DiffId).Should().Equal(upstream.Images[0].Layers.Select(l => l.DiffId), relative);
            written.Images[0].ConfigBytes.Should().Equal(upstream.Images[0].ConfigBytes, relative);
            PushableImage.FromDockerArchive(written).ManifestDigest.Should().Be(PushableImage.FromDockerArchive(upstream).ManifestDigest);

            // The outer archive has the same entries (type, mode, owner, mtime, name) in the same order; the layer ids
            // and the v1 json files differ (upstream's come from Bazel), so sizes of those files are not compared.
            // Both archives list their entries sorted by name; where the config sorts among the layer folders depends
            // on the hex values, so the masked shapes are compared as sets.
            Shape(path).Should().BeEquivalentTo(Shape(upstreamPath), relative);
            Names(path).Should().BeInAscendingOrder(StringComparer.Ordinal);
            Names(upstreamPath).Should().BeInAscendingOrder(StringComparer.Ordinal);
        }
    }

    [Fact]
    public void Bad_file_paths_are_refused()
    {
        var dotdot = () => GoldenImageWriter.WriteLayer(new GoldenLayer([new GoldenFile("a/../b", [])]));
        dotdot.Should().Throw<ArgumentException>().WithMessage("Golden file path 'a/../b' is invalid*");
        var twice = () => GoldenImageWriter.WriteLayer(new GoldenLayer([new GoldenFile("a", []), new GoldenFile("a", [])]));
        twice.Should().Throw<ArgumentException>().WithMessage("Golden file path 'a' appears twice*");
    }

    private static List<string> ReadLayerFiles(DockerArchive archive, int layer)
    {
        using var stream = archive.OpenLayer(archive.Images[0].Layers[layer]);
        using var reader = new TarReader(stream);
        var files = new List<string>();
        while (reader.GetNextEntry() is { } entry)
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile) files.Add(entry.Name);
        return files;
    }

    private static List<string> Names(string tarPath)
    {
        using var stream = File.OpenRead(tarPath);
        using var reader = new TarReader(stream);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
        return names;
    }

    /// <summary>Entry type, mode, owner, mtime and a name with hex ids masked, in archive order.</summary>
    private static List<string> Shape(string tarPath)
    {
        using var stream = File.OpenRead(tarPath);
        using var reader = new TarReader(stream);
        var shape = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            var name = System.Text.RegularExpressions.Regex.Replace(entry.Name, "^[0-9a-f]{64}\\.json$", "<config>.json");
            name = System.Text.RegularExpressions.Regex.Replace(name, "^[0-9a-f]{64}/", "<id>/");
            shape.Add($"{entry.EntryType} {Convert.ToString((int)entry.Mode, 8)} {entry.Uid}:{entry.Gid} {entry.ModificationTime.ToUnixTimeSeconds()} {name}");
        }
        return shape;
    }
}
