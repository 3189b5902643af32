using FluentAssertions;
using Promoter.Promotion;
using Xunit;
using Promoter.Registry;
using Promoter.Yaml;

namespace Promoter.Tests.Promotion;

public class PromotionEdgeTests
{
    private static readonly string A = Digests.Of('a');
    private static readonly string B = Digests.Of('b');
    private static readonly string C = Digests.Of('c');

    [Fact]
    public void Every_digest_tag_and_destination_becomes_an_edge_and_tagless_digests_go_by_digest()
    {
        var manifest = ManifestReader.Parse($"""
            registries:
            - name: gcr.io/stg/golden-foo
              src: true
            - name: us.gcr.io/prod/some/subdir
            - name: eu.gcr.io/prod/some/subdir
            images:
            - name: foo
              dmap:
                "{A}": ["1.0", "latest"]
                "{C}": []
            """, "m.yaml");

        var edges = PromotionEdges.FromManifests([manifest]);

        edges.Should().Equal(
            new PromotionEdge("gcr.io/stg/golden-foo", "foo", A, "us.gcr.io/prod/some/subdir", "foo", "1.0"),
            new PromotionEdge("gcr.io/stg/golden-foo", "foo", A, "us.gcr.io/prod/some/subdir", "foo", "latest"),
            new PromotionEdge("gcr.io/stg/golden-foo", "foo", A, "eu.gcr.io/prod/some/subdir", "foo", "1.0"),
            new PromotionEdge("gcr.io/stg/golden-foo", "foo", A, "eu.gcr.io/prod/some/subdir", "foo", "latest"),
            new PromotionEdge("gcr.io/stg/golden-foo", "foo", C, "us.gcr.io/prod/some/subdir", "foo", null),
            new PromotionEdge("gcr.io/stg/golden-foo", "foo", C, "eu.gcr.io/prod/some/subdir", "foo", null));
        edges[0].SourceReference().ToString().Should().Be($"gcr.io/stg/golden-foo/foo@{A}");
        edges[0].DestinationReference().ToString().Should().Be("us.gcr.io/prod/some/subdir/foo:1.0");
        edges[4].DestinationReference().ToString().Should().Be($"us.gcr.io/prod/some/subdir/foo@{C}");
        edges[4].ToString().Should().Be($"gcr.io/stg/golden-foo/foo@{C} -> us.gcr.io/prod/some/subdir/foo@{C}");
    }

    [Fact]
    public void Redundant_edges_from_several_manifests_are_kept_once()
    {
        var yaml = $"registries:\n- name: r.io/stg\n  src: true\n- name: r.io/prod\nimages:\n- name: foo\n  dmap:\n    \"{A}\": [\"1.0\"]\n    \"{B}\": []\n";
        var one = ManifestReader.Parse(yaml, "one.yaml");
        var two = ManifestReader.Parse(yaml, "two.yaml");
        var other = ManifestReader.Parse(yaml.Replace("r.io/stg", "r.io/stg2"), "three.yaml");

        var edges = PromotionEdges.FromManifests([one, two, other]);

        // Identical edges collapse; a second source for the same tag and digest is redundant too, but tagless
        // edges are not grouped, so the digest-only copy from the second source stays.
        edges.Should().Equal(
            new PromotionEdge("r.io/stg", "foo", A, "r.io/prod", "foo", "1.0"),
            new PromotionEdge("r.io/stg", "foo", B, "r.io/prod", "foo", null),
            new PromotionEdge("r.io/stg2", "foo", B, "r.io/prod", "foo", null));
    }

    [Fact]
    public void One_tag_under_two_digests_is_an_overlap_listing_both()
    {
        var yaml = $"""
            registries:
            - name: r.io/stg
              src: true
            - name: r.io/prod
            images:
            - name: foo
              dmap:
                "{A}": ["1.0"]
                "{B}": ["1.0", "2.0"]
            """;
        var manifest = ManifestReader.Parse(yaml, "m.yaml");

        var act = () => PromotionEdges.FromManifests([manifest]);

        act.Should().Throw<InputFormatException>().Which.Errors.Select(e => e.ToString()).Should().Equal(
            $"m.yaml:8: images[0].dmap[\"{A}\"]: overlapping edges detected: r.io/prod/foo:1.0 is claimed by " +
            $"{A} (m.yaml:8 images[0].dmap[\"{A}\"]) and by {B} (m.yaml:9 images[0].dmap[\"{B}\"])");
    }

    [Fact]
    public void The_same_tag_in_different_destinations_or_images_does_not_overlap()
    {
        var one = ManifestReader.Parse($"registries:\n- name: r.io/stg\n  src: true\n- name: r.io/prod-a\nimages:\n- name: foo\n  dmap:\n    \"{A}\": [\"1.0\"]\n- name: bar\n  dmap:\n    \"{C}\": [\"1.0\"]\n", "one.yaml");
        var two = ManifestReader.Parse($"registries:\n- name: r.io/stg\n  src: true\n- name: r.io/prod-b\nimages:\n- name: foo\n  dmap:\n    \"{B}\": [\"1.0\"]\n", "two.yaml");

        PromotionEdges.FromManifests([one, two]).Select(e => $"{e.DestinationRegistry}/{e.DestinationImage}:{e.Tag}@{e.Digest[7]}")
            .Should().Equal("r.io/prod-a/foo:1.0@a", "r.io/prod-a/bar:1.0@c", "r.io/prod-b/foo:1.0@b");
    }

    [Fact]
    public void Registry_names_split_into_host_and_repository_prefix()
    {
        var path = RegistryPath.Parse("127.0.0.1:5000/k8s-staging/golden-foo");
        path.Should().Be(new RegistryPath("127.0.0.1:5000", "k8s-staging/golden-foo"));
        path.RepositoryFor("foo").Should().Be("k8s-staging/golden-foo/foo");
        path.RepositoryFor("foo/bar").Should().Be("k8s-staging/golden-foo/foo/bar");
        path.ReferenceFor("foo", tag: "1.0").ToString().Should().Be("127.0.0.1:5000/k8s-staging/golden-foo/foo:1.0");
        path.ToString().Should().Be("127.0.0.1:5000/k8s-staging/golden-foo");

        var bare = RegistryPath.Parse("localhost:5000");
        bare.Should().Be(new RegistryPath("localhost:5000", ""));
        bare.RepositoryFor("foo").Should().Be("foo");
    }

    [Theory]
    [InlineData("")]
    [InlineData("/gcr.io/x")]
    [InlineData("gcr.io/x/")]
    [InlineData("gcr.io//x")]
    public void Malformed_registry_names_are_rejected(string name)
    {
        var act = () => RegistryPath.Parse(name);
        act.Should().Throw<FormatException>().WithMessage("*registry name*");
    }
}
