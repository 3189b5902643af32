using FluentAssertions;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Xunit;
using Promoter.Promotion.Checks;

namespace Promoter.Tests.Promotion.Engine;

/// <summary>
/// The offline check's decisions (<see cref="SnapshotCheck"/>) as rows: an edge and the committed snapshots go in (as the
/// text a snapshot file holds), the decision of <see cref="PromotionRules.Decide"/> on the snapshots' view and the verdict
/// come out. No registry, no network, no files.
/// </summary>
[Trait("Category", "Decisions")]
public sealed class SnapshotCheckDecisionTests
{
    private static readonly string A = Digests.Of('a'), B = Digests.Of('b');
    private const string Source = "stage.test/stg", Destination = "prod.test/prod";

    private static PromotionEdge Edge(string? tag, string? digest = null) => new(Source, "img", digest ?? A, Destination, "img", tag);

    private static string Yaml(params (string Image, string Digest, string Tags)[] entries) =>
        string.Concat(entries.GroupBy(e => e.Image).Select(g =>
            $"- name: {g.Key}\n  dmap:\n" + string.Concat(g.Select(e => $"    \"{e.Digest}\": [{e.Tags}]\n"))));

    private static SnapshotSet Set(string? destination, string? source, string destinationRegistry = Destination)
    {
        var files = new List<RegistrySnapshotFile>();
        if (destination is not null)
            files.Add(new RegistrySnapshotFile(destinationRegistry, "prod.yaml", RegistrySnapshotFile.ParseYaml(destination, "prod.yaml")));
        if (source is not null)
            files.Add(new RegistrySnapshotFile(Source, "stg.yaml", RegistrySnapshotFile.ParseYaml(source, "stg.yaml")));
        return new SnapshotSet(files);
    }

    // row, tag, destination snapshot (null: none), source snapshot (null: none), allow tag moves, decision, verdict, source known
    public static TheoryData<string, string?, string?, string?, bool, EdgeDecision, SnapshotVerdict, bool> Rows() => new()
    {
        { "tag and digest absent: new copy", "1.0", "", null, false, EdgeDecision.Copy, SnapshotVerdict.New, false },
        { "another image only: new copy", "1.0", Yaml(("other", B, "\"1.0\"")), null, false, EdgeDecision.Copy, SnapshotVerdict.New, false },
        { "digest there without the tag: new tag", "1.0", Yaml(("img", A, "")), null, false, EdgeDecision.AddTag, SnapshotVerdict.New, false },
        { "tag on the digest: unchanged", "1.0", Yaml(("img", A, "\"1.0\"")), null, false, EdgeDecision.AlreadyPromoted, SnapshotVerdict.Unchanged, false },
        { "tag on another digest: refused tag move", "1.0", Yaml(("img", B, "\"1.0\"")), null, false, EdgeDecision.RefusedTagMove, SnapshotVerdict.Refused, false },
        { "tag on another digest, digest there too: refused", "1.0", Yaml(("img", A, ""), ("img", B, "\"1.0\"")), null, false, EdgeDecision.RefusedTagMove, SnapshotVerdict.Refused, false },
        { "tag on another digest, moves allowed: new move", "1.0", Yaml(("img", B, "\"1.0\"")), null, true, EdgeDecision.MoveTag, SnapshotVerdict.New, false },
        { "tagless, digest there: unchanged", null, Yaml(("img", A, "")), null, false, EdgeDecision.AlreadyPromoted, SnapshotVerdict.Unchanged, false },
        { "tagless, digest absent: new copy", null, Yaml(("img", B, "\"1.0\"")), null, false, EdgeDecision.Copy, SnapshotVerdict.New, false },
        { "source snapshot lacks the digest: refused lost", "1.0", "", Yaml(("img", B, "\"1.0\"")), false, EdgeDecision.Lost, SnapshotVerdict.Refused, true },
        { "source snapshot lacks the image: refused lost", "1.0", "", "", false, EdgeDecision.Lost, SnapshotVerdict.Refused, true },
        { "lost wins over a tag in place", "1.0", Yaml(("img", A, "\"1.0\"")), "", false, EdgeDecision.Lost, SnapshotVerdict.Refused, true },
        { "source snapshot has the digest: new copy", "1.0", "", Yaml(("img", A, "")), false, EdgeDecision.Copy, SnapshotVerdict.New, true },
        { "no snapshot of the destination: refused", "1.0", null, Yaml(("img", A, "")), false, EdgeDecision.Refused, SnapshotVerdict.Refused, true },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void An_edge_is_decided_from_the_committed_snapshots(string row, string? tag, string? destination, string? source, bool allowTagMoves,
        EdgeDecision decision, SnapshotVerdict verdict, bool sourceKnown)
    {
        var checkedEdge = SnapshotCheck.Decide(Edge(tag), Set(destination, source), allowTagMoves);

        checkedEdge.Planned.Decision.Should().Be(decision, row);
        checkedEdge.Verdict.Should().Be(verdict, row);
        checkedEdge.SourceKnown.Should().Be(sourceKnown, row);
        if (decision is EdgeDecision.RefusedTagMove or EdgeDecision.MoveTag)
        {
            checkedEdge.Planned.CurrentDigest!.Value.Value.Should().Be(B, row);
            checkedEdge.Evidence.Should().NotBeNull(row);
            checkedEdge.Evidence!.Value.File.Should().Be("prod.yaml", row);
            checkedEdge.Describe().Should().Contain(decision == EdgeDecision.MoveTag ? $"(tag was on {B}) (snapshot prod.yaml:" : $"points at {B}, not {A} (snapshot prod.yaml:", row);
        }
        if (decision is EdgeDecision.Lost)
            checkedEdge.Describe().Should().Be($"REFUSED lost digest: {Source}/img@{A} is not in the source's snapshot (stg.yaml)", row);
        if (decision is EdgeDecision.Refused)
            checkedEdge.Describe().Should().Contain($"no snapshot covers {Destination}/img", row);
        if (verdict == SnapshotVerdict.New)
            checkedEdge.Describe().Should().StartWith("new: ", row);
    }

    // row, snapshot registry, manifest destination registry, image: the snapshot's image name for it (null: not covered)
    public static TheoryData<string, string, string, string, string?> CoverRows() => new()
    {
        { "the registry itself", "prod.test/prod", "prod.test/prod", "img", "img" },
        { "a parent registry: the image keeps the rest of the path", "prod.test", "prod.test/prod", "img", "prod/img" },
        { "a child registry: the image loses its first part", "prod.test/prod/img", "prod.test/prod", "img/sub", "sub" },
        { "a sibling sharing a prefix is not covered", "prod.test/pro", "prod.test/prod", "img", null },
        { "another host is not covered", "eu.test/prod", "prod.test/prod", "img", null },
        { "host names compare as registry names (lower case)", "prod.test/prod", "PROD.test/prod", "img", "img" },
    };

    [Theory]
    [MemberData(nameof(CoverRows))]
    public void A_snapshot_covers_the_repositories_below_its_registry(string row, string snapshotRegistry, string registry, string image, string? expected)
    {
        var set = new SnapshotSet([new RegistrySnapshotFile(snapshotRegistry, "s.yaml", Snapshot.Empty)]);
        (set.Find(registry, image)?.Image).Should().Be(expected, row);
    }

    [Fact]
    public void The_longest_covering_snapshot_wins()
    {
        var set = new SnapshotSet([
            new RegistrySnapshotFile("prod.test", "wide.yaml", Snapshot.Empty),
            new RegistrySnapshotFile("prod.test/prod", "narrow.yaml", Snapshot.Empty),
        ]);
        set.Find("prod.test/prod", "img")!.File.File.Should().Be("narrow.yaml");
        set.Find("prod.test/other", "img")!.File.File.Should().Be("wide.yaml");
    }

    [Fact]
    public void Two_snapshots_of_one_registry_are_refused() =>
        FluentActions.Invoking(() => new SnapshotSet([
                new RegistrySnapshotFile(Destination, "one.yaml", Snapshot.Empty), new RegistrySnapshotFile(Destination, "two.yaml", Snapshot.Empty)]))
            .Should().Throw<ArgumentException>().WithMessage("*two snapshots of prod.test/prod: one.yaml and two.yaml*");

    [Fact]
    public void Overlapping_edges_are_refused_each_and_the_rest_decided()
    {
        var edges = new[] { Edge("1.0"), Edge("1.0", B), Edge("2.0") };
        var result = SnapshotCheck.Check(edges, Set("", null), allowTagMoves: false);

        result.Select(e => (e.Planned.Decision, e.Verdict)).Should().Equal(
            (EdgeDecision.RefusedOverlap, SnapshotVerdict.Refused), (EdgeDecision.RefusedOverlap, SnapshotVerdict.Refused),
            (EdgeDecision.Copy, SnapshotVerdict.New));
        result[0].Planned.CurrentDigest!.Value.Value.Should().Be(B);
        result[1].Planned.CurrentDigest!.Value.Value.Should().Be(A);
    }

    [Fact]
    public void Each_edge_is_traced_to_its_dmap_entry()
    {
        var manifest = ManifestReader.Parse($"""
            registries:
            - name: {Source}
              src: true
            - name: {Destination}
            - name: eu.test/prod
            images:
            - name: img
              dmap:
                "{A}": ["1.0", "1.1"]
                "{B}": []
            """, "m.yaml");

        var origins = SnapshotCheck.Origins([manifest]);

        origins.Should().HaveCount(6);
        origins[Edge("1.1")].ToString().Should().Be("m.yaml:9");
        origins[new PromotionEdge(Source, "img", B, "eu.test/prod", "img", null)].ToString().Should().Be("m.yaml:10");
        PromotionEdges.FromManifests([manifest]).Should().OnlyContain(e => origins.ContainsKey(e));
    }
}
