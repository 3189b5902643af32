using System.Formats.Tar;
using System.Text;
using FluentAssertions;
using Promoter.Oci;
using Promoter.Tests.Support;
using Xunit;
using Promoter.Archives;

namespace Promoter.Tests.Images;

public class DockerSaveWriterTests
{
    private static DockerSaveImage S390x() => new(
        [new LayerSpec([new LayerFile("golden/foo/linux_s390x/1.0-linux_s390x", "foo 1.0-linux_s390x\n"u8.ToArray())]), new LayerSpec([])],
        "amd64", ["gcr.io/k8s-staging-cip-test/golden-foo/foo:1.0-linux_s390x"], Author: "Bazel", CreatedBy: "bazel build ...",
        SavedInTimeZone: TimeSpan.FromHours(-5));

    [Fact]
    public void Two_runs_write_byte_identical_archives()
    {
        using var temp = new TempFolder();
        DockerSaveWriter.Write(S390x(), temp.File("a.tar"));
        DockerSaveWriter.Write(S390x(), temp.File("b.tar"));

        var a = File.ReadAllBytes(temp.File("a.tar"));
        a.Length.Should().BeGreaterThan(20 * 1024);
        File.ReadAllBytes(temp.File("b.tar")).Should().Equal(a);
    }

    [Fact]
    public void Written_archive_reads_back_through_DockerArchive()
    {
        using var temp = new TempFolder();
        var image = new DockerSaveImage(
            [new LayerSpec([new LayerFile("etc/x/b.txt", "b"u8.ToArray(), 0x1A4), new LayerFile("a", "a\n"u8.ToArray())]), new LayerSpec([])],
            "arm64", ["example.test/x/y:1", "example.test/x/y:2"], Os: "linux");
        var path = temp.File("x.tar");
        DockerSaveWriter.Write(image, path);

        var archive = DockerArchive.Open(path);
        var read = archive.Images.Should().ContainSingle().Subject;
        read.RepoTags.Should().Equal("example.test/x/y:1", "example.test/x/y:2");
        read.Platform.Should().Be(new Platform("arm64", "linux"));
        read.Layers.Select(l => l.DiffId).Should().Equal(image.Layers.Select(l => Digest.Of(DockerSaveWriter.WriteLayer(l))));

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
    public void Bad_file_paths_are_refused()
    {
        var dotdot = () => DockerSaveWriter.WriteLayer(new LayerSpec([new LayerFile("a/../b", [])]));
        dotdot.Should().Throw<ArgumentException>().WithMessage("Layer file path 'a/../b' is invalid*");
        var twice = () => DockerSaveWriter.WriteLayer(new LayerSpec([new LayerFile("a", []), new LayerFile("a", [])]));
        twice.Should().Throw<ArgumentException>().WithMessage("Layer file path 'a' appears twice*");
    }

    // Docker's container Config struct as docker save writes it for an empty config (optional fields left out).
    private const string EmptyContainerConfig =
        """{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":null,"Image":"","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":null}""";

    /// <summary>Three layers, an author with HTML characters, a variant and an entrypoint, saved at +05:30.</summary>
    private static DockerSaveImage SmallImage() => new(
        [
            new LayerSpec([new LayerFile("a", "a\n"u8.ToArray())]),
            new LayerSpec([new LayerFile("b/c", "c\n"u8.ToArray(), 0x1A4)]),
            new LayerSpec([]),
        ],
        "arm", ["example.test/x/y:1"], Author: "me <me@example.test>", CreatedBy: "test", Variant: "v7",
        Entrypoint: ["/bin/x"], SavedInTimeZone: new TimeSpan(5, 30, 0));

    [Fact]
    public void Layer_folders_carry_docker_saves_v1_ids_and_json()
    {
        using var temp = new TempFolder();
        var image = SmallImage();
        var path = temp.File("small.tar");
        DockerSaveWriter.Write(image, path);
        var files = ReadFiles(path);
        var diffIds = image.Layers.Select(l => Digest.Of(DockerSaveWriter.WriteLayer(l)).Value).ToList();

        // Chain ids: the first diff_id, then sha256("<previous chain id> <diff_id>").
        var chain1 = Sha256Digest($"{diffIds[0]} {diffIds[1]}");
        var chain2 = Sha256Digest($"{chain1} {diffIds[2]}");

        // v1 id = sha256 of the record without id, plus layer_id and parent ("sha256:" + hex), keys sorted; lower layers
        // hash no os. Lower records: the epoch in the saver's zone and an empty container_config.
        const string lowerCreated = "1970-01-01T05:30:00+05:30";
        var id0 = Sha256Hex($$"""{"container_config":{{EmptyContainerConfig}},"created":"{{lowerCreated}}","layer_id":"{{diffIds[0]}}"}""");
        var id1 = Sha256Hex($$"""{"container_config":{{EmptyContainerConfig}},"created":"{{lowerCreated}}","layer_id":"{{chain1}}","parent":"sha256:{{id0}}"}""");
        var config = EmptyContainerConfig.Replace("\"Entrypoint\":null", "\"Entrypoint\":[\"/bin/x\"]");
        const string author = @"me \u003cme@example.test\u003e"; // Go's encoding/json escapes < and >
        var id2 = Sha256Hex($$"""{"architecture":"arm","author":"{{author}}","config":{{config}},"container_config":{{EmptyContainerConfig}},"created":"1970-01-01T00:00:00Z","layer_id":"{{chain2}}","os":"linux","parent":"sha256:{{id1}}","variant":"v7"}""");

        // json: id, parent (hex), the record in V1Image field order; lower layers end with os.
        Text(files, $"{id0}/json").Should().Be($$"""{"id":"{{id0}}","created":"{{lowerCreated}}","container_config":{{EmptyContainerConfig}},"os":"linux"}""");
        Text(files, $"{id1}/json").Should().Be($$"""{"id":"{{id1}}","parent":"{{id0}}","created":"{{lowerCreated}}","container_config":{{EmptyContainerConfig}},"os":"linux"}""");
        Text(files, $"{id2}/json").Should().Be($$"""{"id":"{{id2}}","parent":"{{id1}}","created":"1970-01-01T00:00:00Z","container_config":{{EmptyContainerConfig}},"author":"{{author}}","config":{{config}},"architecture":"arm","variant":"v7","os":"linux"}""");

        foreach (var id in new[] { id0, id1, id2 }) Text(files, $"{id}/VERSION").Should().Be("1.0");
        var configName = files.Keys.Single(n => n.EndsWith(".json", StringComparison.Ordinal) && !n.Contains('/') && n != "manifest.json");
        Text(files, "manifest.json").Should().Be(
            $$"""[{"Config":"{{configName}}","RepoTags":["example.test/x/y:1"],"Layers":["{{id0}}/layer.tar","{{id1}}/layer.tar","{{id2}}/layer.tar"]}]""" + "\n");
        Text(files, "repositories").Should().Be($$$"""{"example.test/x/y":{"1":"{{{id2}}}"}}""" + "\n");
    }

    [Fact]
    public void The_saver_time_zone_changes_only_the_v1_folders()
    {
        using var temp = new TempFolder();
        DockerSaveWriter.Write(SmallImage(), temp.File("ist.tar"));
        DockerSaveWriter.Write(SmallImage() with { SavedInTimeZone = TimeSpan.Zero }, temp.File("utc.tar"));
        var ist = ReadFiles(temp.File("ist.tar"));
        var utc = ReadFiles(temp.File("utc.tar"));

        var first = utc.Single(f => f.Key.EndsWith("/json", StringComparison.Ordinal) && !Encoding.UTF8.GetString(f.Value).Contains("\"parent\""));
        Encoding.UTF8.GetString(first.Value).Should().Contain("\"created\":\"1970-01-01T00:00:00Z\"");
        ist.Keys.Where(n => n.EndsWith("/layer.tar", StringComparison.Ordinal)).Should().NotIntersectWith(utc.Keys, "every v1 id depends on the zone");
        ist.Where(f => f.Key.EndsWith("/layer.tar", StringComparison.Ordinal)).Select(f => Digest.Of(f.Value))
            .Should().BeEquivalentTo(utc.Where(f => f.Key.EndsWith("/layer.tar", StringComparison.Ordinal)).Select(f => Digest.Of(f.Value)));
        ist.Where(f => !f.Key.Contains('/') && f.Key != "manifest.json" && f.Key != "repositories")
            .Should().BeEquivalentTo(utc.Where(f => !f.Key.Contains('/') && f.Key != "manifest.json" && f.Key != "repositories"), "the config does not change");
    }

    [Theory]
    [InlineData(0, 0, "1970-01-01T00:00:00Z")]
    [InlineData(-5, 0, "1969-12-31T19:00:00-05:00")]
    [InlineData(5, 30, "1970-01-01T05:30:00+05:30")]
    [InlineData(-23, -59, "1969-12-31T00:01:00-23:59")]
    public void The_epoch_is_written_as_Go_writes_it_in_the_saver_zone(int hours, int minutes, string expected) =>
        DockerSaveV1.EpochIn(new TimeSpan(hours, minutes, 0)).Should().Be(expected);

    [Fact]
    public void Time_zones_beyond_a_day_or_with_seconds_are_refused()
    {
        var image = S390x() with { SavedInTimeZone = TimeSpan.FromHours(24) };
        var act = () => DockerSaveWriter.Write(image, Stream.Null);
        act.Should().Throw<ArgumentException>().WithMessage("Time zone offset 1.00:00:00 is not a whole number of minutes*");
        var seconds = () => DockerSaveV1.EpochIn(TimeSpan.FromSeconds(90));
        seconds.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Strings_are_escaped_as_Go_encoding_json_does() =>
        DockerSaveV1.Quote("a<b>&c\"d\\e\n\r\t\u0001\u2028\u2029é").Should().Be(
            @"""a\u003cb\u003e\u0026c\""d\\e\n\r\t\u0001\u2028\u2029é""");

    [ToolFact("docker")]
    public void Docker_save_of_a_loaded_archive_gives_the_same_v1_folders()
    {
        // The daemon recomputes the v1 ids and json when it saves; its local zone is read back from what it wrote.
        using var temp = new TempFolder();
        var repoTag = $"golden-writer-test/v1:{Guid.NewGuid():N}";
        var image = SmallImage() with { RepoTags = [repoTag], Architecture = "amd64", Variant = null };
        DockerSaveWriter.Write(image, temp.File("ours.tar"));
        try
        {
            var load = ExternalTool.Run("docker", "load", "-i", temp.File("ours.tar"));
            load.ExitCode.Should().Be(0, load.Error);
            var save = ExternalTool.Run("docker", "save", "-o", temp.File("docker.tar"), repoTag);
            save.ExitCode.Should().Be(0, save.Error);
        }
        finally
        {
            ExternalTool.Run("docker", "rmi", repoTag);
        }
        var saved = ReadFiles(temp.File("docker.tar"));
        if (saved.ContainsKey("index.json") || saved.ContainsKey("oci-layout"))
            return; // Docker 25 and later save an OCI layout without v1 folders: nothing to compare.
        var firstJson = saved.Keys.Single(n => n.EndsWith("/json", StringComparison.Ordinal) && !Text(saved, n).Contains("\"parent\""));
        var zone = DateTimeOffset.Parse(System.Text.Json.JsonDocument.Parse(saved[firstJson]).RootElement.GetProperty("created").GetString()!,
            System.Globalization.CultureInfo.InvariantCulture).Offset;

        DockerSaveWriter.Write(image with { SavedInTimeZone = zone }, temp.File("rewritten.tar"));
        var ours = ReadFiles(temp.File("rewritten.tar"));
        ours.Keys.Order(StringComparer.Ordinal).Should().Equal(saved.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, content) in saved) ours[name].Should().Equal(content, name);
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Sha256Digest(string text) => "sha256:" + Sha256Hex(text);

    private static string Text(Dictionary<string, byte[]> files, string name) =>
        files.TryGetValue(name, out var content) ? Encoding.UTF8.GetString(content) : throw new KeyNotFoundException($"no entry {name}");

    /// <summary>The regular files of a tar by name.</summary>
    private static Dictionary<string, byte[]> ReadFiles(string tarPath)
    {
        using var stream = File.OpenRead(tarPath);
        using var reader = new TarReader(stream);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            if (entry.DataStream is null) continue;
            using var buffer = new MemoryStream();
            entry.DataStream.CopyTo(buffer);
            files[entry.Name] = buffer.ToArray();
        }
        return files;
    }
}
