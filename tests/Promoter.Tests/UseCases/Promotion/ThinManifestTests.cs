using FluentAssertions;
using Promoter.Promotion;
using Xunit;
using Promoter.Yaml;

namespace Promoter.Tests.Promotion;

public class ThinManifestTests
{
    private static readonly string A = Digests.Of('a');
    private static readonly string B = Digests.Of('b');

    private static string Registries(string project) => $"""
        registries:
        - name: 127.0.0.1:5000/stg/golden-{project}
          src: true
        - name: 127.0.0.1:5000/prod/golden-{project}
          service-account: sa@prod
        """;

    private static string Images(string image, string digest, string tag) => $"""
        - name: {image}
          dmap:
            "{digest}": ["{tag}"]
        """;

    private static TempTree TwoProjects()
    {
        var tree = new TempTree();
        tree.Write("thin/manifests/foo/promoter-manifest.yaml", Registries("foo"));
        tree.Write("thin/images/foo/images.yaml", Images("foo", A, "1.0"));
        tree.Write("thin/manifests/bar/promoter-manifest.yaml", Registries("bar") + "\nimagesPath: ../../images/bar\n");
        tree.Write("thin/images/bar/images.yaml", Images("bar", B, "1.0"));
        return tree;
    }

    [Fact]
    public void Combines_each_project_manifest_with_its_images_in_project_order()
    {
        using var tree = TwoProjects();
        var dir = Path.Combine(tree.Root, "thin");

        var set = ManifestReader.LoadThinDirectory(dir);

        set.Warnings.Should().BeEmpty();
        set.Manifests.Select(m => m.Project).Should().Equal("bar", "foo");
        var foo = set.Manifests[1];
        foo.File.Should().Be(Path.Combine(dir, "manifests", "foo", "promoter-manifest.yaml"));
        foo.ImagesFile.Should().Be(Path.Combine(dir, "images", "foo", "images.yaml"));
        foo.Source.Name.Should().Be("127.0.0.1:5000/stg/golden-foo");
        foo.Destinations.Select(d => (d.Name, d.ServiceAccount)).Should().Equal(("127.0.0.1:5000/prod/golden-foo", "sa@prod"));
        foo.Images.Should().ContainSingle().Which.Dmap.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new { Digest = A, Tags = new[] { "1.0" } });
    }

    [Fact]
    public void A_trailing_slash_on_the_directory_is_accepted()
    {
        using var tree = TwoProjects();
        ManifestReader.LoadThinDirectory(Path.Combine(tree.Root, "thin") + "/").Manifests.Should().HaveCount(2);
    }

    [Fact]
    public void A_missing_images_file_fails()
    {
        using var tree = TwoProjects();
        File.Delete(Path.Combine(tree.Root, "thin/images/bar/images.yaml"));
        var dir = Path.Combine(tree.Root, "thin");

        var act = () => ManifestReader.LoadThinDirectory(dir);

        act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            $"{dir}/manifests/bar/promoter-manifest.yaml:1: no images file for project 'bar' (expected a regular file {dir}/images/bar/images.yaml)");
    }

    [Fact]
    public void A_subfolder_without_a_manifest_is_skipped_with_a_warning_and_extra_image_folders_are_ignored()
    {
        using var tree = TwoProjects();
        tree.Folder("thin/manifests/empty");
        tree.Write("thin/manifests/notes/README.md", "nothing here");
        tree.Write("thin/images/orphan/images.yaml", "not: even: valid");
        var dir = Path.Combine(tree.Root, "thin");

        var set = ManifestReader.LoadThinDirectory(dir);

        set.Manifests.Select(m => m.Project).Should().Equal("bar", "foo");
        set.Warnings.Should().Equal(
            $"{dir}/manifests/empty: skipped, no regular file promoter-manifest.yaml in it",
            $"{dir}/manifests/notes: skipped, no regular file promoter-manifest.yaml in it");
    }

    [Fact]
    public void A_nested_manifest_is_an_unexpected_manifest_path()
    {
        using var tree = TwoProjects();
        tree.Write("thin/manifests/foo/deeper/promoter-manifest.yaml", Registries("deep"));
        var dir = Path.Combine(tree.Root, "thin");

        var act = () => ManifestReader.LoadThinDirectory(dir);

        act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            $"{dir}/manifests/foo/deeper/promoter-manifest.yaml:1: unexpected manifest path (expected {dir}/manifests/<project>/promoter-manifest.yaml)");
    }

    [Fact]
    public void A_manifest_directly_in_manifests_is_an_unexpected_manifest_path()
    {
        using var tree = TwoProjects();
        tree.Write("thin/manifests/promoter-manifest.yaml", Registries("top"));
        var act = () => ManifestReader.LoadThinDirectory(Path.Combine(tree.Root, "thin"));
        act.Should().Throw<InputFormatException>().Which.Errors.Should().ContainSingle()
            .Which.Message.Should().StartWith("unexpected manifest path");
    }

    [Fact]
    public void Finding_no_manifest_is_an_error_and_other_folder_names_are_not_walked()
    {
        using var tree = new TempTree();
        tree.Folder("thin/images");
        tree.Folder("thin/manifests/foo");
        tree.Write("thin/manifest/foo/promoter-manifest.yaml", Registries("foo"));
        tree.Write("thin/images/foo/images.yaml", Images("foo", A, "1.0"));
        var dir = Path.Combine(tree.Root, "thin");

        var act = () => ManifestReader.LoadThinDirectory(dir);

        act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            $"{dir}/manifests:1: no thin manifests found (expected {dir}/manifests/<project>/promoter-manifest.yaml)");
    }

    [Fact]
    public void Images_and_manifests_must_both_be_directories()
    {
        using var tree = new TempTree();
        tree.Write("thin/images", "a file, not a folder");
        var dir = Path.Combine(tree.Root, "thin");

        var act = () => ManifestReader.LoadThinDirectory(dir);

        act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            $"{dir}/images:1: not a directory (a thin-manifest directory needs both images/ and manifests/)",
            $"{dir}/manifests:1: not a directory (a thin-manifest directory needs both images/ and manifests/)");
    }

    public static TheoryData<string, string, string, int, string, string> BadImageEntries => new()
    {
        // image, digest, tag, line in images.yaml, field, message
        { "foo", "sha256:abc", "1.0", 3, "[0].dmap", "'sha256:abc' is not a digest (expected sha256: + 64 lower-case hex)" },
        { "foo", "A", "-bad", 3, "[0].dmap[\"A\"][0]", "'-bad' is not a tag (expected ^\\w[\\w.-]{0,127}$: an ASCII letter, digit or '_' first, then letters, digits, '_', '.' or '-', at most 128 characters)" },
        { "Foo", "A", "1.0", 1, "[0].name", "'Foo' is not an image name: " },
    };

    [Theory]
    [MemberData(nameof(BadImageEntries))]
    public void Images_yaml_fields_are_checked_with_the_rules_and_errors_of_a_full_manifest(string image, string digest, string tag, int line, string field, string message)
    {
        digest = digest == "A" ? A : digest;
        field = field.Replace("\"A\"", $"\"{A}\"");
        using var tree = TwoProjects();
        var imagesFile = tree.Write("thin/images/foo/images.yaml", Images(image, digest, tag));
        var dir = Path.Combine(tree.Root, "thin");

        var thin = () => ManifestReader.LoadThinDirectory(dir);

        var error = thin.Should().Throw<InputFormatException>().Which.Errors.Should().ContainSingle().Subject;
        error.ToString().Should().StartWith($"{imagesFile}:{line}: {field}: {message}");
        // The same entry in a full manifest: the same message on the same field (under images:).
        var entry = string.Join("\n", Images(image, digest, tag).Split('\n').Select(l => "  " + l));
        var full = () => ManifestReader.Parse(Registries("foo") + "\nimages:\n" + entry + "\n", "full.yaml");
        var fullError = full.Should().Throw<InputFormatException>().Which.Errors.Should().ContainSingle().Subject;
        fullError.At.Field.Should().Be("images" + field);
        fullError.Message.Should().Be(error.Message);
    }

    [Fact]
    public void Two_sources_in_a_thin_manifest_are_refused_as_in_a_full_manifest()
    {
        using var tree = TwoProjects();
        tree.Write("thin/manifests/foo/promoter-manifest.yaml",
            "registries:\n- name: r.io/first\n  src: true\n- name: r.io/second\n  src: true\n- name: r.io/prod\n");
        var dir = Path.Combine(tree.Root, "thin");

        var act = () => ManifestReader.LoadThinDirectory(dir);

        act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            $"{dir}/manifests/foo/promoter-manifest.yaml:5: registries[1].src: 2 registries have src: true (r.io/first, r.io/second); expected exactly one source");
    }

    [Fact]
    public void A_thin_manifest_without_a_source_is_refused()
    {
        using var tree = TwoProjects();
        tree.Write("thin/manifests/foo/promoter-manifest.yaml", "registries:\n- name: r.io/a\n- name: r.io/b\n");
        var dir = Path.Combine(tree.Root, "thin");
        var act = () => ManifestReader.LoadThinDirectory(dir);
        act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            $"{dir}/manifests/foo/promoter-manifest.yaml:1: registries: no registry has src: true (expected exactly one source)");
    }

    [Fact]
    public void A_thin_manifest_accepts_only_registries_and_imagesPath()
    {
        using var tree = TwoProjects();
        tree.Write("thin/manifests/foo/promoter-manifest.yaml", Registries("foo") + "\nimages: []\n");
        var dir = Path.Combine(tree.Root, "thin");
        var act = () => ManifestReader.LoadThinDirectory(dir);
        act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            $"{dir}/manifests/foo/promoter-manifest.yaml:6: images: unknown key (expected one of: registries, imagesPath)");
    }

    [Fact]
    public void Images_yaml_errors_name_the_images_file_and_keep_strict_keys()
    {
        using var tree = TwoProjects();
        tree.Write("thin/images/foo/images.yaml", $"- name: foo\n  dmap:\n    \"{A}\": []\n  tags: [x]\n- name: \"\"\n  dmap:\n    \"{A}\": []\n");
        var dir = Path.Combine(tree.Root, "thin");
        var act = () => ManifestReader.LoadThinDirectory(dir);
        act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            $"{dir}/images/foo/images.yaml:4: [0].tags: unknown key (expected one of: name, dmap)",
            $"{dir}/images/foo/images.yaml:5: [1].name: must not be empty (expected an image name such as foo or foo/bar)");
    }

    [Fact]
    public void Two_projects_claiming_the_same_destination_tag_overlap()
    {
        using var tree = new TempTree();
        var shared = "registries:\n- name: r.io/stg\n  src: true\n- name: r.io/prod\n";
        tree.Write("thin/manifests/one/promoter-manifest.yaml", shared);
        tree.Write("thin/images/one/images.yaml", Images("foo", A, "1.0"));
        tree.Write("thin/manifests/two/promoter-manifest.yaml", shared);
        tree.Write("thin/images/two/images.yaml", Images("foo", B, "1.0"));
        var dir = Path.Combine(tree.Root, "thin");
        var set = ManifestReader.LoadThinDirectory(dir);

        var act = () => PromotionEdges.FromManifests(set.Manifests);

        act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            $"{dir}/images/one/images.yaml:3: [0].dmap[\"{A}\"]: overlapping edges detected: r.io/prod/foo:1.0 is claimed by " +
            $"{A} ({dir}/images/one/images.yaml:3 [0].dmap[\"{A}\"]) and by {B} ({dir}/images/two/images.yaml:3 [0].dmap[\"{B}\"])");
    }
}
