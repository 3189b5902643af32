using System.Text;
using FluentAssertions;
using Promoter.Promotion;
using Xunit;
using Promoter.Yaml;

namespace Promoter.Tests.Promotion;

public class SnapshotTests
{
    private static readonly string A = Digests.Of('a');
    private static readonly string B = Digests.Of('b');
    private static readonly string C = Digests.Of('c');
    private static readonly string D = Digests.Of('d');

    private static ImageEntry Image(string name, params (string Digest, string[] Tags)[] dmap) =>
        new(name, dmap.Select(d => new DigestTags(d.Digest, d.Tags)).ToList());

    /// <summary>Deliberately unsorted at every level.</summary>
    private static Snapshot Unsorted() => new([
        Image("foo", (C, []), (A, ["latest", "1.9", "1.10", "1.0"])),
        Image("bar/sub", (B, ["v1"])),
        Image("bar_x", (D, [])),
        Image("bar", (D, ["1.0"]), (B, [])),
    ]);

    [Fact]
    public void Writer_prints_the_hand_written_format_sorted_by_byte_order()
    {
        // Byte order: "bar" < "bar/sub" < "bar_x" < "foo" ('/' is 0x2f, '_' 0x5f); digests a < b < c < d;
        // tags "1.0" < "1.10" < "1.9" < "latest".
        var expected =
            "- name: bar\n" +
            "  dmap:\n" +
            $"    \"{B}\": []\n" +
            $"    \"{D}\": [\"1.0\"]\n" +
            "- name: bar/sub\n" +
            "  dmap:\n" +
            $"    \"{B}\": [\"v1\"]\n" +
            "- name: bar_x\n" +
            "  dmap:\n" +
            $"    \"{D}\": []\n" +
            "- name: foo\n" +
            "  dmap:\n" +
            $"    \"{A}\": [\"1.0\", \"1.10\", \"1.9\", \"latest\"]\n" +
            $"    \"{C}\": []\n";

        Encoding.UTF8.GetBytes(Unsorted().ToText()).Should().Equal(Encoding.UTF8.GetBytes(expected));
        Unsorted().ToText(extraFinalNewline: true).Should().Be(expected + "\n");
    }

    [Fact]
    public void An_empty_registry_prints_nothing()
    {
        Snapshot.Empty.ToText().Should().BeEmpty();
        Snapshot.Empty.ToText(extraFinalNewline: true).Should().Be("\n");
        Snapshot.Parse("", "empty.yaml").Images.Should().BeEmpty();
        Snapshot.Parse("\n", "empty.yaml").Images.Should().BeEmpty();
    }

    [Fact]
    public void Written_text_reads_back_to_the_same_snapshot()
    {
        var text = Unsorted().ToText();

        var read = Snapshot.Parse(text, "snap.yaml");

        SnapshotDiff.Compare(Unsorted().Sorted(), read).IsEmpty.Should().BeTrue();
        read.Images.Select(i => i.Name).Should().Equal("bar", "bar/sub", "bar_x", "foo");
        read.Images[3].Dmap[0].Tags.Should().Equal("1.0", "1.10", "1.9", "latest");
        read.ToText().Should().Be(text);
        ManifestReader.ParseImages(text, "images.yaml").Should().HaveCount(4, "a snapshot is a valid images.yaml");
    }

    [Fact]
    public void The_reader_checks_digests_with_file_and_line()
    {
        var act = () => Snapshot.Parse($"- name: foo\n  dmap:\n    \"{A}\": []\n    \"sha256:zz\": []\n", "snap.yaml");
        act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            "snap.yaml:4: [0].dmap: 'sha256:zz' is not a digest (expected sha256: + 64 lower-case hex)");
    }

    [Fact]
    public void Diff_reports_missing_and_extra_digests_and_tag_differences_per_image()
    {
        var expected = new Snapshot([
            Image("bar", (A, ["1.0"])),
            Image("foo", (A, ["1.0", "latest"]), (B, []), (C, ["2.0"])),
            Image("gone", (D, [])),
        ]);
        var actual = new Snapshot([
            Image("bar", (A, ["1.0"])),
            Image("foo", (A, ["latest", "1.0"]), (C, ["2.0", "extra"]), (D, [])),
            Image("new", (B, ["x"])),
        ]);

        var diff = SnapshotDiff.Compare(expected, actual);

        diff.IsEmpty.Should().BeFalse();
        diff.Lines.Should().Equal(
            $"foo: {A}: tags differ: expected [\"1.0\", \"latest\"], actual [\"latest\", \"1.0\"]",
            $"foo: missing digest {B} []",
            $"foo: {C}: tags differ: expected [\"2.0\"], actual [\"2.0\", \"extra\"]",
            $"foo: extra digest {D} []",
            "missing image gone (1 digest(s) expected)",
            "extra image new (1 digest(s))");
        diff.ToString().Split('\n').Should().Equal(diff.Lines);
    }

    [Fact]
    public void Diff_ignores_digest_order_but_not_image_order()
    {
        var one = new Snapshot([Image("a", (A, []), (B, ["1"])), Image("b", (C, []))]);
        var digestsSwapped = new Snapshot([Image("a", (B, ["1"]), (A, [])), Image("b", (C, []))]);
        var imagesSwapped = new Snapshot([Image("b", (C, [])), Image("a", (A, []), (B, ["1"]))]);

        SnapshotDiff.Compare(one, digestsSwapped).ToString().Should().Be("snapshots match");
        SnapshotDiff.Compare(one, imagesSwapped).Lines.Should().Equal("image order differs: expected [a, b], actual [b, a]");
    }
}
