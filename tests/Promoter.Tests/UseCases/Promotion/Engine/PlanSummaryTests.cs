using FluentAssertions;
using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Xunit;

namespace Promoter.Tests.Promotion.Engine;

/// <summary>The default output of a plan (issue 26): refusals first and whole, then destinations and images, within a line budget.</summary>
[Trait("Category", "Decisions")]
public sealed class PlanSummaryTests
{
    private static string DigestOf(int i) => Digest.Of(BitConverter.GetBytes(i)).Value;

    /// <summary>A cold plan: <paramref name="images"/> x <paramref name="destinations"/> x <paramref name="tags"/> copies, the first
    /// <paramref name="refused"/> images' first tag in the first destination a refused tag move.</summary>
    private static PromotionPlan Plan(int images, int destinations, int tags, int refused = 0)
    {
        var edges = new List<PlannedEdge>();
        for (var i = 0; i < images; i++)
            for (var d = 0; d < destinations; d++)
                for (var t = 0; t < tags; t++)
                {
                    var edge = new PromotionEdge("src.example/stg", $"img-{i:D5}", DigestOf(i), $"dst{d}.example/prod", $"img-{i:D5}", $"v{t + 1}");
                    edges.Add(i < refused && d == 0 && t == 0
                        ? new PlannedEdge(edge, EdgeDecision.RefusedTagMove, false, Digest.Parse(DigestOf(-1 - i)))
                        : new PlannedEdge(edge, EdgeDecision.Copy, false, null));
                }
        return new PromotionPlan(edges);
    }

    [Theory]
    [InlineData(1, 1, 1, 0, 3)]       // a destination line, an image line, the totals line
    [InlineData(50, 3, 3, 0, 40)]
    [InlineData(50, 3, 3, 2, 40)]
    [InlineData(1000, 3, 3, 1, 40)]
    [InlineData(1000, 10, 3, 100, 40)]
    [InlineData(10000, 10, 1, 0, 40)]
    public void Never_more_than_the_budget(int images, int destinations, int tags, int refused, int expected)
    {
        var lines = PlanSummary.Lines(Plan(images, destinations, tags, refused), 40, "--plan-out");

        lines.Should().HaveCount(expected);
        lines[^1].Should().StartWith("plan: ");
    }

    [Fact]
    public void Refusals_come_first_and_whole()
    {
        var lines = PlanSummary.Lines(Plan(50, 3, 3, refused: 2), 40, "--plan-out");

        lines[0].Should().StartWith("REFUSED tag move: dst0.example/prod/img-00000:v1 points at ");
        lines[1].Should().StartWith("REFUSED tag move: dst0.example/prod/img-00001:v1 points at ");
        lines[2].Should().Be("destination dst0.example/prod (50 images): 2 refused, 148 to copy");
        lines[3].Should().Be("destination dst1.example/prod (50 images): 150 to copy");
        lines[5].Should().Be("image img-00000 (3 destinations): 1 refused, 8 to copy", "images with a refusal come first");
        lines[^2].Should().Be("... and 17 more image(s); the full list is in --plan-out");
        lines[^1].Should().Be("plan: 150 copies, 448 tag(s), 2 refused, 0 lost, 0 already promoted");
    }

    [Fact]
    public void More_refusals_than_room_keep_the_budget_and_say_how_many_more()
    {
        var lines = PlanSummary.Lines(Plan(100, 2, 1, refused: 100), 40, "--plan-out");

        lines.Should().HaveCount(40);
        lines.Take(38).Should().OnlyContain(l => l.StartsWith("REFUSED tag move: ", StringComparison.Ordinal));
        lines[38].Should().Be("... and 62 more refused edge(s); the full list is in --plan-out");
        lines[39].Should().StartWith("plan: ");
    }

    [Fact]
    public void A_small_plan_is_whole()
    {
        var plan = new PromotionPlan([
            new PlannedEdge(new PromotionEdge("s.example/stg", "a", DigestOf(1), "d.example/prod", "a", "1.0"), EdgeDecision.AlreadyPromoted, true, null),
            new PlannedEdge(new PromotionEdge("s.example/stg", "b", DigestOf(2), "d.example/prod", "b", "1.0"), EdgeDecision.AddTag, true, null),
            new PlannedEdge(new PromotionEdge("s.example/stg", "c", DigestOf(3), "d.example/prod", "c", null), EdgeDecision.Lost, false, null),
        ]);

        PlanSummary.Lines(plan, 40, null).Should().Equal(
            "destination d.example/prod (3 images): 1 lost, 1 to tag, 1 already promoted",
            "image c (1 destination): 1 lost",
            "image b (1 destination): 1 to tag",
            "image a (1 destination): 1 already promoted",
            "plan: 0 copies, 1 tag(s), 0 refused, 1 lost, 1 already promoted");
    }
}
