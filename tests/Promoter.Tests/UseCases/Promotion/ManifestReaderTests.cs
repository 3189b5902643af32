using FluentAssertions;
using Promoter.Promotion;
using Xunit;
using Promoter.Yaml;

namespace Promoter.Tests.Promotion;

public class ManifestReaderTests
{
    private static readonly string A = Digests.Of('a');
    private static readonly string B = Digests.Of('b');

    private static IReadOnlyList<string> ErrorsOf(string yaml, string file = "manifests/foo.yaml")
    {
        var act = () => ManifestReader.Parse(yaml, file);
        return act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).ToList();
    }

    [Fact]
    public void Parses_registries_and_images_keeping_tags_as_written()
    {
        var yaml = $"""
            registries:
            - name: gcr.io/stg/golden-foo
              service-account: sa@stg.iam.gserviceaccount.com
              src: true
            - name: us.gcr.io/prod/some/subdir
            images:
            - name: foo/bar
              dmap:
                "{B}": [1.0, 1.10, latest, 010]
                {A}: []
            """;

        var manifest = ManifestReader.Parse(yaml, "m.yaml");

        manifest.File.Should().Be("m.yaml");
        manifest.Registries.Select(r => (r.Name, r.ServiceAccount, r.Src)).Should().Equal(
            ("gcr.io/stg/golden-foo", "sa@stg.iam.gserviceaccount.com", true),
            ("us.gcr.io/prod/some/subdir", (string?)null, false));
        manifest.Source.Name.Should().Be("gcr.io/stg/golden-foo");
        manifest.Destinations.Select(r => r.Name).Should().Equal("us.gcr.io/prod/some/subdir");
        var image = manifest.Images.Should().ContainSingle().Subject;
        image.Name.Should().Be("foo/bar");
        image.Dmap.Select(d => d.Digest).Should().Equal(B, A);
        image.Dmap[0].Tags.Should().Equal("1.0", "1.10", "latest", "010");
        image.Dmap[1].IsTagless.Should().BeTrue();
        image.Dmap[0].Location.Should().Be(new SourceLocation("m.yaml", 9, $"images[0].dmap[\"{B}\"]"));
    }

    [Fact]
    public void A_manifest_without_images_is_a_stub()
    {
        var manifest = ManifestReader.Parse("registries:\n- name: gcr.io/stg\n  src: true\n", "stub.yaml");
        manifest.Images.Should().BeEmpty();
        manifest.Destinations.Should().BeEmpty();
    }

    [Fact]
    public void A_bad_digest_names_file_line_and_field()
    {
        var yaml = """
            registries:
            - name: gcr.io/stg
              src: true
            - name: gcr.io/prod
            images:
            - name: foo
              dmap:
                "sha256:abc": ["1.0"]
            """;
        ErrorsOf(yaml).Should().Equal(
            "manifests/foo.yaml:8: images[0].dmap: 'sha256:abc' is not a digest (expected sha256: + 64 lower-case hex)");
    }

    [Fact]
    public void Upper_case_hex_and_other_algorithms_are_not_digests()
    {
        var upper = "sha256:" + new string('A', 64);
        var yaml = $"registries:\n- name: r.io/s\n  src: true\nimages:\n- name: foo\n  dmap:\n    \"{upper}\": []\n    \"sha512:{new string('a', 64)}\": []\n";
        ErrorsOf(yaml, "m.yaml").Should().Equal(
            $"m.yaml:7: images[0].dmap: '{upper}' is not a digest (expected sha256: + 64 lower-case hex)",
            $"m.yaml:8: images[0].dmap: 'sha512:{new string('a', 64)}' is not a digest (expected sha256: + 64 lower-case hex)");
    }

    [Theory]
    [InlineData("-bad")]
    [InlineData(".bad")]
    [InlineData("b@d")]
    [InlineData("caf\u00e9")]
    [InlineData("")]
    public void Bad_tags_name_the_tag_index(string tag)
    {
        var yaml = $"registries:\n- name: r.io/s\n  src: true\nimages:\n- name: foo\n  dmap:\n    \"{A}\": [\"ok\", \"{tag}\"]\n";
        ErrorsOf(yaml, "m.yaml").Should().Equal(
            $"m.yaml:7: images[0].dmap[\"{A}\"][1]: '{tag}' is not a tag (expected ^\\w[\\w.-]{{0,127}}$: an ASCII letter, digit or '_' first, then letters, digits, '_', '.' or '-', at most 128 characters)");
    }

    [Fact]
    public void A_tag_may_be_128_characters_but_not_129()
    {
        string Yaml(string tag) => $"registries:\n- name: r.io/s\n  src: true\nimages:\n- name: foo\n  dmap:\n    \"{A}\": [\"{tag}\"]\n";
        var ok = "_" + new string('x', 127);
        ManifestReader.Parse(Yaml(ok), "m.yaml").Images[0].Dmap[0].Tags.Should().Equal(ok);
        ErrorsOf(Yaml(ok + "x"), "m.yaml").Should().ContainSingle().Which.Should().Contain("is not a tag");
    }

    [Fact]
    public void Registries_must_not_be_empty()
    {
        ErrorsOf("registries: []\nimages: []\n", "m.yaml").Should().Equal(
            "m.yaml:1: registries: must list at least one registry");
        ErrorsOf("images: []\n", "m.yaml").Should().Equal(
            "m.yaml:1: registries: must list at least one registry");
        ErrorsOf("", "m.yaml").Should().Equal(
            "m.yaml:1: registries: must list at least one registry");
    }

    [Fact]
    public void Registry_names_must_not_be_empty()
    {
        var yaml = "registries:\n- name: r.io/s\n  src: true\n- name: \"\"\n- service-account: x@y\n";
        ErrorsOf(yaml, "m.yaml").Should().Equal(
            "m.yaml:4: registries[1].name: must not be empty (expected a registry name such as gcr.io/project/prefix)",
            "m.yaml:5: registries[2].name: must not be empty (expected a registry name such as gcr.io/project/prefix)");
    }

    [Fact]
    public void Exactly_one_source_is_required()
    {
        ErrorsOf("registries:\n- name: r.io/a\n- name: r.io/b\n", "m.yaml").Should().Equal(
            "m.yaml:1: registries: no registry has src: true (expected exactly one source)");
        ErrorsOf("registries:\n- name: r.io/a\n  src: true\n- name: r.io/b\n  src: true\n", "m.yaml").Should().Equal(
            "m.yaml:5: registries[1].src: 2 registries have src: true (r.io/a, r.io/b); expected exactly one source");
    }

    [Fact]
    public void Src_must_be_a_boolean()
    {
        ErrorsOf("registries:\n- name: r.io/a\n  src: maybe\n", "m.yaml").Should().Equal(
            "m.yaml:3: registries[0].src: expected true or false, found 'maybe'",
            "m.yaml:1: registries: no registry has src: true (expected exactly one source)");
    }

    [Fact]
    public void Images_need_a_name_and_a_non_empty_dmap()
    {
        var yaml = $"""
            registries:
            - name: r.io/s
              src: true
            images:
            - name: ""
              dmap:
                "{A}": []
            - name: foo
            - name: bar
              dmap: {"{}"}
            """;
        ErrorsOf(yaml, "m.yaml").Should().Equal(
            "m.yaml:5: images[0].name: must not be empty (expected an image name such as foo or foo/bar)",
            "m.yaml:8: images[1].dmap: must not be empty (expected at least one digest -> tags entry)",
            "m.yaml:10: images[2].dmap: must not be empty (expected at least one digest -> tags entry)");
    }

    [Fact]
    public void Unknown_keys_are_rejected_at_every_level()
    {
        var yaml = $"""
            registries:
            - name: r.io/s
              src: true
              region: eu
            images:
            - name: foo
              dmap:
                "{A}": []
              renames: []
            filters: x
            """;
        ErrorsOf(yaml, "m.yaml").Should().Equal(
            "m.yaml:10: filters: unknown key (expected one of: registries, images)",
            "m.yaml:4: registries[0].region: unknown key (expected one of: name, service-account, src)",
            "m.yaml:9: images[0].renames: unknown key (expected one of: name, dmap)");
    }

    [Fact]
    public void A_duplicate_digest_in_one_dmap_is_rejected()
    {
        var yaml = $"registries:\n- name: r.io/s\n  src: true\nimages:\n- name: foo\n  dmap:\n    \"{A}\": [\"1.0\"]\n    \"{A}\": [\"2.0\"]\n";
        ErrorsOf(yaml, "m.yaml").Should().Equal(
            $"m.yaml:8: mapping key \"{A}\" already defined at line 7");
    }

    [Fact]
    public void Wrong_shapes_are_reported_with_what_was_expected()
    {
        ErrorsOf("- a\n- b\n", "m.yaml").Should().Equal(
            "m.yaml:1: (document): expected a mapping with keys registries, images, found a list",
            "m.yaml:1: registries: must list at least one registry");
        var yaml = $"registries:\n- name: r.io/s\n  src: true\nimages:\n- name: foo\n  dmap:\n    \"{A}\": latest\n";
        ErrorsOf(yaml, "m.yaml").Should().Equal($"m.yaml:7: images[0].dmap[\"{A}\"]: expected a list, found a scalar");
    }

    [Fact]
    public void Yaml_syntax_errors_carry_file_and_line()
    {
        var errors = ErrorsOf("registries:\n- name: r.io/s\n  src: true\nimages: [\n", "m.yaml");
        errors.Should().ContainSingle().Which.Should().MatchRegex(@"^m\.yaml:\d+: invalid YAML: ");
    }

    [Fact]
    public void Load_names_the_path_as_given()
    {
        using var tree = new TempTree();
        var path = tree.Write("m.yaml", "registries:\n- name: r.io/s\n  src: true\n- name: r.io/d\nimages:\n- name: foo\n  dmap:\n    \"sha256:abc\": []\n");
        var act = () => ManifestReader.Load(path);
        act.Should().Throw<InputFormatException>().Which.Errors.Should().ContainSingle()
            .Which.At.Should().Be(new SourceLocation(path, 8, "images[0].dmap"));
    }

    [Fact]
    public void Exception_message_lists_every_error_one_per_line()
    {
        var act = () => ManifestReader.Parse("registries:\n- name: \"\"\n", "m.yaml");
        act.Should().Throw<InputFormatException>().Which.Message.Split('\n').Should().Equal(
            "m.yaml:2: registries[0].name: must not be empty (expected a registry name such as gcr.io/project/prefix)",
            "m.yaml:1: registries: no registry has src: true (expected exactly one source)");
    }
}
