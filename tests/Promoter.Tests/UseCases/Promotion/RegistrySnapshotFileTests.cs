using FluentAssertions;
using Promoter.Inputs;
using Promoter.Promotion;
using Promoter.Yaml;
using Xunit;

namespace Promoter.Tests.Promotion;

/// <summary>
/// Committed snapshot files (<see cref="RegistrySnapshotFile"/>): kpromo's YAML and CSV as <see cref="Snapshot.ToText"/> and
/// <see cref="Snapshot.ToCsv"/> write them read back to the same contents, and every malformed line is named
/// <c>file:line: field</c>.
/// </summary>
public sealed class RegistrySnapshotFileTests : IDisposable
{
    private static readonly string A = Digests.Of('a'), B = Digests.Of('b'), C = Digests.Of('c');
    private readonly string _folder = Directory.CreateTempSubdirectory("snapshot-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Snapshot Sample() => new([
        new ImageEntry("foo", [new DigestTags(A, ["1.0", "latest"]), new DigestTags(C, [])]),
        new ImageEntry("bar/sub", [new DigestTags(B, ["v1"])]),
    ]);

    private static IEnumerable<string> Lines(Snapshot snapshot) =>
        snapshot.Sorted().Images.SelectMany(i => i.Dmap.Select(d => $"{i.Name}@{d.Digest}=[{string.Join(",", d.Tags)}]"));

    [Fact]
    public void What_the_snapshot_writers_print_reads_back_the_same()
    {
        Lines(RegistrySnapshotFile.ParseYaml(Sample().ToText(), "s.yaml")).Should().Equal(Lines(Sample()));
        Lines(RegistrySnapshotFile.ParseYaml(Sample().ToText(extraFinalNewline: true), "s.yaml")).Should().Equal(Lines(Sample()));
        Lines(RegistrySnapshotFile.ParseCsv(Sample().ToCsv(), "s.csv")).Should().Equal(Lines(Sample()));
        RegistrySnapshotFile.ParseCsv(Snapshot.Empty.ToCsv(), "s.csv").Images.Should().BeEmpty();
        RegistrySnapshotFile.ParseCsv(Sample().ToCsv().Replace("\n", "\r\n"), "s.csv").Images.Should().HaveCount(2);
    }

    [Fact]
    public void A_csv_line_keeps_where_it_was_read()
    {
        var snapshot = RegistrySnapshotFile.ParseCsv(Sample().ToCsv(), "s.csv");
        var foo = snapshot.Images.Single(i => i.Name == "foo");
        foo.Dmap.Single(d => d.Digest == A).Location.Should().Be(new SourceLocation("s.csv", 2, $"foo@{A}"));
    }

    [Theory]
    [InlineData("foo@{A},foo:1.0\n\nfoo@{B},-\n", 2, "", "blank line")]
    [InlineData("foo@{A},foo:1.0,extra\n", 1, "", "expected two fields")]
    [InlineData("foo{A},foo:1.0\n", 1, "image@digest", "is not image@digest")]
    [InlineData("Foo@{A},Foo:1.0\n", 1, "image@digest", "'Foo' is not an image name")]
    [InlineData("foo@sha256:abc,foo:1.0\n", 1, "image@digest", "'sha256:abc' is not a digest")]
    [InlineData("foo@{A},bar:1.0\n", 1, "image:tag", "names image 'bar', not 'foo'")]
    [InlineData("foo@{A},foo:-bad\n", 1, "image:tag", "'-bad' is not a tag")]
    [InlineData("foo@{A},1.0\n", 1, "image:tag", "is not image:tag or -")]
    [InlineData("foo@{A},foo:1.0\nfoo@{A},foo:1.0\n", 2, "image:tag", "listed twice")]
    [InlineData("foo@{A},-\nfoo@{A},-\n", 2, "image@digest", "listed twice (first at line 1)")]
    [InlineData("foo@{A},foo:1.0\nfoo@{A},-\n", 2, "image@digest", "listed both tagless (-) and tagged")]
    [InlineData("foo@{A},-\nfoo@{A},foo:1.0\n", 2, "image:tag", "listed both tagless (-) and tagged")]
    [InlineData("foo@{A},foo:1.0\nfoo@{B},foo:1.0\n", 2, "image:tag", "foo:1.0 is also on sha256:aaaa")]
    public void A_malformed_csv_line_is_named_by_file_line_and_field(string text, int line, string field, string message)
    {
        var act = () => RegistrySnapshotFile.ParseCsv(text.Replace("{A}", A).Replace("{B}", B), "s.csv");
        var error = act.Should().Throw<InputFormatException>().Which.Errors.Should().ContainSingle().Which;
        error.At.Line.Should().Be(line);
        error.At.Field.Should().Be(field);
        error.Message.Should().Contain(message);
        error.ToString().Should().StartWith(field.Length > 0 ? $"s.csv:{line}: {field}: " : $"s.csv:{line}: ");
    }

    [Fact]
    public void Every_bad_csv_line_is_reported_at_once()
    {
        var act = () => RegistrySnapshotFile.ParseCsv($"foo@{A},foo:1.0\nbad\nfoo@x,-\n", "s.csv");
        act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.At.Line).Should().Equal(2, 3);
    }

    [Fact]
    public void A_yaml_snapshot_no_registry_could_hold_is_refused()
    {
        var twice = $"- name: foo\n  dmap:\n    \"{A}\": [\"1.0\"]\n- name: foo\n  dmap:\n    \"{B}\": []\n";
        var act = () => RegistrySnapshotFile.ParseYaml(twice, "s.yaml");
        act.Should().Throw<InputFormatException>().WithMessage("s.yaml:4: [1].name: image 'foo' is listed twice (also at line 1)*");

        var moved = $"- name: foo\n  dmap:\n    \"{A}\": [\"1.0\"]\n    \"{B}\": [\"1.0\"]\n";
        act = () => RegistrySnapshotFile.ParseYaml(moved, "s.yaml");
        act.Should().Throw<InputFormatException>().WithMessage($"s.yaml:4: [0].dmap[\"{B}\"]: tag '1.0' of image 'foo' is also on {A} (line 3)*");

        act = () => RegistrySnapshotFile.ParseYaml($"- name: foo\n  dmap:\n    \"{A}\": [\"1.0\", \"1.0\"]\n", "s.yaml");
        act.Should().Throw<InputFormatException>().WithMessage("s.yaml:3: *tag '1.0' is listed twice*");

        act = () => RegistrySnapshotFile.ParseYaml($"- name: foo\n  dmap:\n    \"{A}\": [\"1.0\"]\n  extra: 1\n", "s.yaml");
        act.Should().Throw<InputFormatException>().WithMessage("s.yaml:4: *extra*");
    }

    [Fact]
    public void A_file_is_read_through_the_input_gate_in_the_format_its_name_or_text_says()
    {
        var yaml = Path.Combine(_folder, "prod.yaml");
        var csv = Path.Combine(_folder, "prod.csv");
        var plain = Path.Combine(_folder, "prod.txt");
        File.WriteAllText(yaml, Sample().ToText());
        File.WriteAllText(csv, Sample().ToCsv());
        File.WriteAllText(plain, Sample().ToCsv());

        foreach (var file in new[] { yaml, csv, plain })
        {
            var loaded = RegistrySnapshotFile.Load("PROD.test/prod", file);
            loaded.Registry.Should().Be("prod.test/prod");
            Lines(loaded.Contents).Should().Equal(Lines(Sample()), file);
        }
        File.WriteAllText(plain, Sample().ToText());
        Lines(RegistrySnapshotFile.Load("prod.test", plain).Contents).Should().Equal(Lines(Sample()));

        FluentActions.Invoking(() => RegistrySnapshotFile.Load("prod.test", _folder)).Should().Throw<InputFileException>();
        FluentActions.Invoking(() => RegistrySnapshotFile.Load("prod.test", Path.Combine(_folder, "missing.yaml"))).Should().Throw<InputFileException>();
        FluentActions.Invoking(() => RegistrySnapshotFile.Load("https://prod.test", yaml)).Should().Throw<FormatException>();
    }
}
