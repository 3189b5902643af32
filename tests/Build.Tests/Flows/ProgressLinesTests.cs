using Build.Flows;
using FluentAssertions;
using Promoter.Promotion.Engine;
using Xunit;

namespace Build.Tests.Flows;

/// <summary>The pure part of a promotion's progress output (issue 26): when CI gets a line, the ETA, the text.</summary>
[Trait("Category", "Decisions")]
public sealed class ProgressLinesTests
{
    private static PromotionProgressSnapshot At(double seconds, long done, long total = 1000, bool ended = false, long requests = 0,
        PromotionPhase phase = PromotionPhase.Execute) =>
        new(phase, done, total, 380, 1204, 3_250_000, requests, TimeSpan.FromSeconds(seconds), ended);

    public static TheoryData<string, PromotionProgressSnapshot, ProgressMark?, bool> DueCases() => new()
    {
        { "nothing yet, early, under 5%", At(1, 40), null, false },
        { "5% reached before 10 s", At(1, 50), null, true },
        { "10 s without a line", At(10, 1), null, true },
        { "4 points since the last line", At(3, 140), new ProgressMark(TimeSpan.FromSeconds(2), 100, 0), false },
        { "5 points since the last line", At(3, 150), new ProgressMark(TimeSpan.FromSeconds(2), 100, 0), true },
        { "9.9 s since the last line", At(11.9, 101), new ProgressMark(TimeSpan.FromSeconds(2), 100, 0), false },
        { "10 s since the last line", At(12, 101), new ProgressMark(TimeSpan.FromSeconds(2), 100, 0), true },
        { "the same moment again", At(2, 900), new ProgressMark(TimeSpan.FromSeconds(2), 100, 0), false },
        { "ended with news", At(4, 1000, ended: true), new ProgressMark(TimeSpan.FromSeconds(2), 990, 0), true },
        { "ended, nothing new since the last line: still the line saying how long it took", At(4, 1000, ended: true), new ProgressMark(TimeSpan.FromSeconds(2), 1000, 0), true },
        { "ended at the moment of the last line", At(2, 1000, ended: true), new ProgressMark(TimeSpan.FromSeconds(2), 1000, 0), false },
        { "ended without any line yet", At(0.2, 3, total: 3, ended: true), null, true },
        { "total unknown: only time counts", At(5, 700, total: 0), new ProgressMark(TimeSpan.FromSeconds(1), 0, 0), false },
    };

    [Theory]
    [MemberData(nameof(DueCases))]
    public void A_line_is_due_every_10_s_or_5_percent_and_once_at_the_end(string why, PromotionProgressSnapshot now, ProgressMark? last, bool due) =>
        ProgressLines.Due(now, last).Should().Be(due, why);

    [Theory]
    [InlineData(0, 1000, 5.0, null)]        // no rate yet
    [InlineData(412, 1000, 8.24, 12.0)]     // 8.24 s for 412: 588 more take 11.76 s, rounded up
    [InlineData(500, 1000, 10.0, 10.0)]
    [InlineData(999, 1000, 999.0, 1.0)]
    [InlineData(1000, 1000, 30.0, 0.0)]
    [InlineData(5, 0, 1.0, 0.0)]            // nothing to do
    public void The_eta_is_the_phase_average_rate_applied_to_what_is_left(long done, long total, double elapsed, double? eta) =>
        ProgressLines.Eta(done, total, TimeSpan.FromSeconds(elapsed)).Should().Be(eta is null ? null : TimeSpan.FromSeconds(eta.Value));

    [Theory]
    [InlineData(0, 0, 100)]
    [InlineData(0, 1000, 0)]
    [InlineData(412, 1000, 41)]
    [InlineData(999, 1000, 99)]
    [InlineData(1000, 1000, 100)]
    public void Percent_is_whole_and_rounded_down(long done, long total, int percent) =>
        ProgressLines.Percent(done, total).Should().Be(percent);

    [Fact]
    public void The_ci_line_of_the_execute_phase_has_every_figure()
    {
        var now = At(8.24, 412, requests: 2000);
        var rate = ProgressLines.RequestRate(now, new ProgressMark(TimeSpan.FromSeconds(6.24), 380, 1560));

        ProgressLines.Line(now, rate).Should().Be(
            "progress: execute 412/1000 edges (41%), 380 manifests, 1204 blobs, 3.1 MiB, 220 req/s, ETA 12 s");
    }

    [Fact]
    public void The_plan_phase_counts_references_and_an_ended_phase_says_how_long_it_took()
    {
        ProgressLines.Line(At(2, 1500, total: 3000, requests: 700, phase: PromotionPhase.Plan), 350)
            .Should().Be("progress: plan 1500/3000 references (50%), 350 req/s, ETA 2 s");
        ProgressLines.Line(At(125, 3000, total: 3000, ended: true, phase: PromotionPhase.Plan), 24)
            .Should().Be("progress: plan 3000/3000 references (100%), 24 req/s, done in 2 min 5 s");
        ProgressLines.Line(At(1, 0), 0).Should().EndWith(", 0 req/s, ETA unknown");
        ProgressLines.Line(At(30, 1000), 10).Should().EndWith(", 10 req/s, finishing", "every edge is done; the read-backs are not");
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1.0 KiB")]
    [InlineData(3_250_000, "3.1 MiB")]
    [InlineData(5L * 1024 * 1024 * 1024, "5.0 GiB")]
    public void Sizes_are_in_binary_units(long bytes, string text) => ProgressLines.Size(bytes).Should().Be(text);

    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(11.2, "12 s")]
    [InlineData(200, "3 min 20 s")]
    [InlineData(3900, "1 h 05 min")]
    public void Durations_are_to_the_second(double seconds, string text) =>
        ProgressLines.Duration(TimeSpan.FromSeconds(seconds)).Should().Be(text);

    [Fact]
    public void The_request_rate_is_over_the_window_since_the_last_line_else_since_the_phase_start()
    {
        var now = At(10, 500, requests: 3000);
        ProgressLines.RequestRate(now, null).Should().Be(300);
        ProgressLines.RequestRate(now, new ProgressMark(TimeSpan.FromSeconds(8), 400, 2600)).Should().Be(200);
        ProgressLines.RequestRate(now, new ProgressMark(TimeSpan.FromSeconds(9.95), 400, 2999)).Should().Be(300, "a window under 0.1 s is too short");
    }
}
