using System.Text;
using FluentAssertions;
using Promoter.Backfill;
using Promoter.Oci;
using Xunit;

namespace Promoter.Tests.Backfill;

/// <summary>
/// Backfill's comparison as rows of a table over the pure <see cref="ReplicaComparison"/>: what the replicas answered goes
/// in, per replica each missing or differing item, its action and the healthy replica to copy from come out; then the
/// repair edges. No registry, no network, no files.
/// </summary>
[Trait("Category", "Decisions")]
public sealed class ReplicaComparisonTests
{
    private const string A = "a.test/prod", B = "b.test/prod", C = "c.test/prod";
    private static readonly string[] Replicas = [A, B, C];
    private static readonly string Index = D("index"), Child = D("child"), Image = D("image"), Other = D("other"), Sig = D("sig"), OtherSig = D("other sig"), Layer = D("layer");

    private static string D(string seed) => Digest.Of(Encoding.UTF8.GetBytes(seed)).Value;

    private static ItemView Item(ReplicaItemKind kind, string reference, string? expected, string? owner, params (string Replica, string? Held)[] answers) =>
        new(new ReplicaItem(kind, "img", reference, owner is null ? null : Digest.Parse(owner)), expected,
            answers.ToDictionary(a => a.Replica, a => a.Held, StringComparer.Ordinal));

    private static ItemView Manifest(string digest, params (string, string?)[] answers) => Item(ReplicaItemKind.Manifest, digest, digest, null, answers);
    private static ItemView ChildOf(string index, string digest, params (string, string?)[] answers) => Item(ReplicaItemKind.Manifest, digest, digest, index, answers);
    private static ItemView Tag(string tag, string digest, params (string, string?)[] answers) => Item(ReplicaItemKind.Tag, tag, digest, null, answers);
    private static ItemView Blob(string owner, params (string, string?)[] answers) => Item(ReplicaItemKind.Blob, Layer, "42", owner, answers);
    private static ItemView Sig_(params (string, string?)[] answers) => Item(ReplicaItemKind.Attachment, "sha256-x.sig", null, Image, answers);

    private static (string, string?)[] All(string? held) => [(A, held), (B, held), (C, held)];

    /// <summary>A finding as <c>replica kind gap action from</c>, e.g. <c>b tag Missing Copy a</c>.</summary>
    private static string Show(ReplicaFinding f) =>
        $"{f.Replica[0]} {f.Item.Kind.ToString().ToLowerInvariant()} {f.Gap} {f.Action} {(f.From is null ? "-" : f.From[0])}";

    public static TheoryData<string, ItemView[], string[], int> Rows() => new()
    {
        { "all replicas agree: nothing", [Manifest(Image, All(Image)), Tag("1.0", Image, All(Image))], [], 0 },
        { "a tag missing in one replica: copied from the first healthy one",
            [Manifest(Image, All(Image)), Tag("1.0", Image, (A, Image), (B, null), (C, Image))], ["b tag Missing Copy a"], 0 },
        { "the first replica lacks it: copied from the second",
            [Manifest(Image, All(Image)), Tag("1.0", Image, (A, null), (B, Image), (C, Image))], ["a tag Missing Copy b"], 0 },
        { "a tag on another digest: refused, never moved",
            [Manifest(Image, All(Image)), Tag("1.0", Image, (A, Image), (B, Image), (C, Other))], ["c tag Differs Refuse a"], 0 },
        { "a tag no replica holds: not a difference between replicas",
            [Manifest(Image, All(Image)), Tag("1.0", Image, All(null))], [], 1 },
        { "a digest no replica holds: not a difference between replicas", [Manifest(Image, All(null))], [], 1 },
        { "a manifest missing in one replica",
            [Manifest(Image, (A, Image), (B, null), (C, Image))], ["b manifest Missing Copy a"], 0 },
        { "a manifest a replica lists but does not serve (5xx): copied again",
            [Manifest(Image, (A, "not served (HEAD answers 500)"), (B, Image), (C, Image))], ["a manifest Differs Copy b"], 0 },
        { "a blob missing where the manifest is: copied; the replica is no source of that digest",
            [Manifest(Image, (A, Image), (B, Image), (C, null)), Blob(Image, (A, null), (B, "42"))], ["a blob Missing Copy b", "c manifest Missing Copy b"], 0 },
        { "a blob served with another size differs and is copied again",
            [Manifest(Image, All(Image)), Blob(Image, (A, "42"), (B, "not served (HEAD answers 200 with 0 byte(s), the descriptor says 42)"), (C, "42"))],
            ["b blob Differs Copy a"], 0 },
        { "a blob missing in the only replica holding the manifest: no healthy replica for the manifest",
            [Manifest(Image, (A, Image), (B, null), (C, null)), Blob(Image, (A, null))], ["b manifest Missing NoHealthyReplica -", "c manifest Missing NoHealthyReplica -"], 1 },
        { "a child missing under an index: copied; the index tag is not copied from that replica",
            [Manifest(Index, All(Index)), Tag("1.0", Index, (A, null), (B, Index), (C, Index)), ChildOf(Index, Child, (A, Child), (B, null), (C, Child))],
            ["a tag Missing Copy c", "b manifest Missing Copy a"], 0 },
        { "a child's blob missing makes its index no source either",
            [Manifest(Index, (A, null), (B, Index), (C, Index)), ChildOf(Index, Child, (B, Child), (C, Child)), Blob(Child, (B, null), (C, "42"))],
            ["a manifest Missing Copy c", "b blob Missing Copy c"], 0 },
        { "a signature missing in one replica: the one most replicas hold",
            [Sig_((A, Sig), (B, null), (C, Sig))], ["b attachment Missing Copy a"], 0 },
        { "a signature on another manifest where most hold one: refused",
            [Sig_((A, Sig), (B, Sig), (C, OtherSig))], ["c attachment Differs Refuse a"], 0 },
        { "two signatures, one each, no majority: no source, both refused",
            [Sig_((A, Sig), (B, OtherSig), (C, null))], ["a attachment Differs Refuse -", "b attachment Differs Refuse -", "c attachment Missing NoHealthyReplica -"], 0 },
        { "an empty replica lacks everything the others hold",
            [Manifest(Image, (A, Image), (B, Image), (C, null)), Tag("1.0", Image, (A, Image), (B, Image), (C, null)), Sig_((A, Sig), (B, Sig), (C, null))],
            ["c manifest Missing Copy a", "c tag Missing Copy a", "c attachment Missing Copy a"], 0 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Replicas_are_compared_item_by_item(string row, ItemView[] items, string[] expected, int inNoReplica)
    {
        var result = ReplicaComparison.Compare(new ReplicaView(Replicas, items));
        result.Findings.Select(Show).Should().Equal(expected, row);
        result.InNoReplica.Should().HaveCount(inNoReplica, row);
    }

    public static TheoryData<string, ReplicaItemKind, ReplicaGap, string?, string?, BackfillAction> ActionRows() => new()
    {
        { "missing tag, a source: copy", ReplicaItemKind.Tag, ReplicaGap.Missing, Image, A, BackfillAction.Copy },
        { "missing tag, no source", ReplicaItemKind.Tag, ReplicaGap.Missing, Image, null, BackfillAction.NoHealthyReplica },
        { "tag on another digest: refused even with a source", ReplicaItemKind.Tag, ReplicaGap.Differs, Image, A, BackfillAction.Refuse },
        { "attachment tag on another manifest: refused", ReplicaItemKind.Attachment, ReplicaGap.Differs, Sig, A, BackfillAction.Refuse },
        { "attachment tags disagree: refused", ReplicaItemKind.Attachment, ReplicaGap.Differs, null, null, BackfillAction.Refuse },
        { "blob of another size: copied again", ReplicaItemKind.Blob, ReplicaGap.Differs, "42", A, BackfillAction.Copy },
        { "manifest not served: copied again", ReplicaItemKind.Manifest, ReplicaGap.Differs, Image, A, BackfillAction.Copy },
        { "missing referrer: copy", ReplicaItemKind.Referrer, ReplicaGap.Missing, Sig, B, BackfillAction.Copy },
    };

    [Theory]
    [MemberData(nameof(ActionRows))]
    public void A_gap_gets_an_action(string row, ReplicaItemKind kind, ReplicaGap gap, string? expected, string? from, BackfillAction action) =>
        ReplicaComparison.Action(kind, gap, expected, from).Should().Be(action, row);

    [Fact]
    public void Each_finding_becomes_an_edge_from_its_healthy_replica_and_none_without_one()
    {
        ReplicaFinding F(string replica, ReplicaItemKind kind, string reference, ReplicaGap gap, string? expected, string? from, BackfillAction action,
            string? owner = null) => new(replica, new ReplicaItem(kind, "img", reference, owner is null ? null : Digest.Parse(owner)), gap, null, expected, from, action);

        var edges = ReplicaComparison.Edges(
        [
            F(B, ReplicaItemKind.Tag, "1.0", ReplicaGap.Missing, Image, A, BackfillAction.Copy),
            F(B, ReplicaItemKind.Manifest, Child, ReplicaGap.Missing, Child, A, BackfillAction.Copy, Index),
            F(B, ReplicaItemKind.Blob, Layer, ReplicaGap.Missing, "42", C, BackfillAction.Copy, Child),
            F(C, ReplicaItemKind.Tag, "2.0", ReplicaGap.Differs, Image, A, BackfillAction.Refuse),
            F(C, ReplicaItemKind.Attachment, "sha256-x.sig", ReplicaGap.Missing, Sig, A, BackfillAction.Copy, Image),
            F(C, ReplicaItemKind.Referrer, Other, ReplicaGap.Missing, Other, B, BackfillAction.Copy, Image),
            F(A, ReplicaItemKind.Tag, "3.0", ReplicaGap.Missing, Image, null, BackfillAction.NoHealthyReplica),
            F(B, ReplicaItemKind.Tag, "1.0", ReplicaGap.Missing, Image, A, BackfillAction.Copy),
        ]);

        edges.Select(e => e.ToString()).Should().Equal(
            $"{A}/img@{Image} -> {B}/img:1.0",
            $"{A}/img@{Child} -> {B}/img@{Child}",
            $"{C}/img@{Child} -> {B}/img@{Child}",
            $"{A}/img@{Image} -> {C}/img:2.0",
            $"{A}/img@{Sig} -> {C}/img:sha256-x.sig",
            $"{B}/img@{Other} -> {C}/img@{Other}");
    }
}
