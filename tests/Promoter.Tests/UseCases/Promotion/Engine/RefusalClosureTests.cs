using FluentAssertions;
using Promoter.Attachments;
using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Xunit;

namespace Promoter.Tests.Promotion.Engine;

/// <summary>
/// <see cref="RefusalClosure"/> as a decision table: each row is a small plan (edges written as text), whether a lost edge
/// counts as refused, and the decision each edge must end with. No registry, no network.
/// </summary>
[Trait("Category", "Decisions")]
public sealed class RefusalClosureTests
{
    private static readonly Digest A = D("a"), B = D("b"), C = D("c"), I = D("i"), S = D("s");

    private static Digest D(string seed) => Digest.Of(System.Text.Encoding.UTF8.GetBytes(seed));

    /// <summary>An edge of the table: <c>digest</c>, destination <c>registry</c>, <c>tag</c> (null: by digest), decision,
    /// whether its refusal covers the digest, and the subject when it carries an attachment.</summary>
    private static PlannedEdge E(Digest digest, string? tag, EdgeDecision decision, string registry = "prod.test",
        bool refusesDigest = false, Digest? subject = null) =>
        new(new PromotionEdge("stage.test", "img", digest.Value, registry, "img", tag), decision, false, null,
            decision == EdgeDecision.Refused ? "unsigned: test" : null) { RefusesDigest = refusesDigest, Subject = subject };

    private static readonly Dictionary<Digest, IReadOnlyList<Digest>> IndexOfBAndC = new() { [I] = [B, C] };

    public static TheoryData<string, PlannedEdge[], Dictionary<Digest, IReadOnlyList<Digest>>, bool, EdgeDecision[]> Rows() => new()
    {
        { "nothing refused: nothing changes",
            [E(A, "1", EdgeDecision.Copy), E(B, "2", EdgeDecision.AddTag)], [], false,
            [EdgeDecision.Copy, EdgeDecision.AddTag] },
        { "a refused tag move refuses its tag only: another tag of its digest is copied",
            [E(A, "1", EdgeDecision.RefusedTagMove), E(A, "2", EdgeDecision.Copy)], [], false,
            [EdgeDecision.RefusedTagMove, EdgeDecision.Copy] },
        { "an overlap refuses the tag only",
            [E(A, "x", EdgeDecision.RefusedOverlap), E(B, "x", EdgeDecision.RefusedOverlap), E(A, "1", EdgeDecision.Copy)], [], false,
            [EdgeDecision.RefusedOverlap, EdgeDecision.RefusedOverlap, EdgeDecision.Copy] },
        { "an unsigned digest refuses its other tags in the repository",
            [E(A, "1", EdgeDecision.Refused, refusesDigest: true), E(A, "2", EdgeDecision.Copy), E(A, null, EdgeDecision.Copy)], [], false,
            [EdgeDecision.Refused, EdgeDecision.Refused, EdgeDecision.Refused] },
        { "an unsigned digest refuses nothing in another destination",
            [E(A, "1", EdgeDecision.Refused, refusesDigest: true), E(A, "1", EdgeDecision.Copy, registry: "eu.test")], [], false,
            [EdgeDecision.Refused, EdgeDecision.Copy] },
        { "an unsigned digest refuses its signature copy",
            [E(A, "1", EdgeDecision.Refused, refusesDigest: true), E(S, AttachmentTags.For(A, AttachmentKind.Signature), EdgeDecision.Copy, subject: A)], [], false,
            [EdgeDecision.Refused, EdgeDecision.Refused] },
        { "an unsigned child refuses the index that lists it, and the index's signature",
            [E(B, "b", EdgeDecision.Refused, refusesDigest: true), E(I, "1", EdgeDecision.Copy), E(S, AttachmentTags.For(I, AttachmentKind.Signature), EdgeDecision.Copy, subject: I)],
            IndexOfBAndC, false,
            [EdgeDecision.Refused, EdgeDecision.Refused, EdgeDecision.Refused] },
        { "a refused index refuses its children's attachments and tags",
            [E(I, "1", EdgeDecision.Refused, refusesDigest: true), E(C, "c", EdgeDecision.Copy), E(S, AttachmentTags.For(C, AttachmentKind.Attestation), EdgeDecision.Copy, subject: C)],
            IndexOfBAndC, false,
            [EdgeDecision.Refused, EdgeDecision.Refused, EdgeDecision.Refused] },
        { "an index listing a signed child is not refused for an unsigned sibling image elsewhere",
            [E(A, "a", EdgeDecision.Refused, refusesDigest: true), E(I, "1", EdgeDecision.Copy)], IndexOfBAndC, false,
            [EdgeDecision.Refused, EdgeDecision.Copy] },
        { "a dependant that writes nothing stays as it is",
            [E(A, "1", EdgeDecision.Refused, refusesDigest: true), E(A, "2", EdgeDecision.AlreadyPromoted)], [], false,
            [EdgeDecision.Refused, EdgeDecision.AlreadyPromoted] },
        { "a lost edge skipped with a warning refuses nothing",
            [E(A, "1", EdgeDecision.Lost), E(S, "sig", EdgeDecision.Copy, subject: A)], [], false,
            [EdgeDecision.Lost, EdgeDecision.Copy] },
        { "a lost edge under --require-source refuses what refers to its digest",
            [E(A, "1", EdgeDecision.Lost), E(S, "sig", EdgeDecision.Copy, subject: A)], [], true,
            [EdgeDecision.Lost, EdgeDecision.Refused] },
        { "an attachment refusal (an SBOM that cannot be merged) refuses that tag only",
            [E(A, "1", EdgeDecision.Copy), E(S, AttachmentTags.For(A, AttachmentKind.Sbom), EdgeDecision.Refused, subject: A), E(S, "other", EdgeDecision.Copy)], [], false,
            [EdgeDecision.Copy, EdgeDecision.Refused, EdgeDecision.Copy] },
        { "a chain closes: refused child, its index, the index's other tag, the sibling's signature",
            [E(B, "b", EdgeDecision.Refused, refusesDigest: true), E(I, "1", EdgeDecision.Copy), E(I, "latest", EdgeDecision.AddTag),
             E(S, AttachmentTags.For(C, AttachmentKind.Signature), EdgeDecision.Copy, subject: C), E(A, "a", EdgeDecision.Copy)],
            IndexOfBAndC, false,
            [EdgeDecision.Refused, EdgeDecision.Refused, EdgeDecision.Refused, EdgeDecision.Refused, EdgeDecision.Copy] },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Decides(string row, PlannedEdge[] edges, Dictionary<Digest, IReadOnlyList<Digest>> children, bool lostIsRefused, EdgeDecision[] expected)
    {
        var plan = new PromotionPlan(edges) { IndexChildren = children };
        var closed = RefusalClosure.Close(plan, lostIsRefused);
        closed.Edges.Select(e => e.Decision).Should().Equal(expected, row);
        foreach (var dependant in closed.Edges.Where((e, i) => e.Decision != edges[i].Decision))
            dependant.Reason.Should().StartWith($"dependant: {dependant.Edge.DestinationReference()} ", "a dependant names itself and its cause");
        closed.Copies.Should().NotContain(c => closed.Edges.Any(e => e.IsRefused(lostIsRefused) && e.RefusesDigest
            && c.Destination.Registry == e.Edge.DestinationReference().Registry && c.Destination.Digest == Digest.Parse(e.Edge.Digest)),
            "no copy of a refused digest is planned");
    }

    [Fact]
    public void Nothing_refused_returns_the_same_plan()
    {
        var plan = new PromotionPlan([E(A, "1", EdgeDecision.Copy)]);
        RefusalClosure.Close(plan, lostIsRefused: true).Should().BeSameAs(plan);
    }

    [Fact]
    public void An_attachment_write_of_a_refused_digest_becomes_a_refused_edge_and_is_not_written()
    {
        var built = AttachmentManifests.BuildLayered([]);
        var target = new ImageReference("prod.test", "img", AttachmentTags.For(A, AttachmentKind.Signature));
        var write = new AttachmentWrite(target, built, null, new ImageReference("stage.test", "img"), [], new Dictionary<Digest, byte[]>(), "signed by test")
        {
            Subject = A,
        };
        var plan = new PromotionPlan([E(A, "1", EdgeDecision.Refused, refusesDigest: true)], [write]);

        var closed = RefusalClosure.Close(plan, lostIsRefused: false);

        closed.AttachmentWrites.Should().BeEmpty();
        closed.Tags.Should().BeEmpty("the write's tag is not written either");
        closed.Edges.Should().HaveCount(2);
        closed.Edges[1].Decision.Should().Be(EdgeDecision.Refused);
        closed.Edges[1].Reason.Should().Contain("not written: signed by test");
        closed.Fence.Should().Contain(target).And.Contain(target.WithDigest(built.Manifest.Digest))
            .And.Contain(new ImageReference("prod.test", "img", "1")).And.Contain(new ImageReference("prod.test", "img", Digest: A));
    }

    [Fact]
    public void The_fence_of_a_tag_refusal_holds_the_tag_not_the_digest()
    {
        var plan = new PromotionPlan([E(A, "1", EdgeDecision.RefusedTagMove), E(A, "2", EdgeDecision.Copy)]);
        plan.Fence.Should().Equal(new ImageReference("prod.test", "img", "1"));
    }
}
