using FluentAssertions;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Reporting;
using Promoter.Tests.Support;
using Xunit;

namespace Promoter.Tests.Promotion.Engine;

/// <summary>
/// <see cref="PromotionProgress"/> fed by a real pipeline run against two Distribution processes: the plan counts every
/// edge decided, the execute phase every edge written, with the manifests, blobs and requests the run reports; and the
/// report built from the run counts the same.
/// </summary>
public class PromotionProgressTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task The_counts_reach_the_totals_and_agree_with_what_the_run_wrote()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("progress");
        var a = await TestImages.PushAsync(pool.For(EngineFixture.Staging), $"{id}/a", null, "progress a");
        var b = await TestImages.PushAsync(pool.For(EngineFixture.Staging), $"{id}/b", null, "progress b");
        List<PromotionEdge> edges =
        [
            new($"{EngineFixture.Staging}/{id}", "a", a.Digest.Value, $"{EngineFixture.Production}/{id}", "a", "1.0"),
            new($"{EngineFixture.Staging}/{id}", "a", a.Digest.Value, $"{EngineFixture.Production}/{id}", "a", "latest"),
            new($"{EngineFixture.Staging}/{id}", "b", b.Digest.Value, $"{EngineFixture.Production}/{id}", "b", null),
        ];
        var progress = new PromotionProgress();
        var ended = new List<PromotionProgressSnapshot>();
        progress.PhaseEnded = ended.Add;

        var outcome = await new PromotionPipeline(pool, new PromotionPolicy { Confirm = true, Threads = 2, Progress = progress }).RunAsync(_ => edges);

        ended.Select(s => s.Phase).Should().Equal(PromotionPipeline.Phases);
        progress.Timings.Select(t => t.Phase).Should().Equal(PromotionPipeline.Phases);
        var plan = ended.Single(s => s.Phase == PromotionPhase.Plan);
        (plan.Done, plan.Total, plan.Ended).Should().Be((3, 3, true));
        plan.Requests.Should().BeGreaterThan(0);
        var execute = ended.Single(s => s.Phase == PromotionPhase.Execute);
        (execute.Done, execute.Total).Should().Be((3, 3), "three edges write: two tags of a's copy, b's tagless copy");
        execute.Manifests.Should().Be(outcome.Counts.ManifestsPut);
        execute.Blobs.Should().Be(outcome.Counts.BlobsUploaded + outcome.Counts.BlobsMounted);
        progress.Bytes.Should().BeGreaterThan(0, "the blobs cross from one registry to another");

        var report = PromotionReport.Build("t", outcome.Plan, outcome, null, true, progress, pool.Traffic(), DateTimeOffset.UnixEpoch);
        report.Failed.Should().BeFalse();
        report.Images.Should().Equal("a", "b");
        report.Destinations.Should().Equal($"{EngineFixture.Production}/{id}");
        report.Cell("a", $"{EngineFixture.Production}/{id}")![CellState.Written].Should().Be(2);
        report.Cell("b", $"{EngineFixture.Production}/{id}")![CellState.Written].Should().Be(1);
        report.Timings.Select(t => t.Label).Should().Equal("load", "plan", "check", "stop", "execute", "total");
        report.Hosts.Sum(h => h.Requests).Should().Be(pool.Traffic().Sum(h => h.Requests));

        var again = new PromotionProgress();
        var noop = await new PromotionPipeline(pool, new PromotionPolicy { Confirm = true, Threads = 2, Progress = again }).RunAsync(_ => edges);
        var nothing = again.Snapshot()!;
        (nothing.Phase, nothing.Done, nothing.Total, nothing.Ended).Should().Be((PromotionPhase.Execute, 0, 0, true), "a second run writes nothing");
        PromotionReport.Build("t", noop.Plan, noop, null, true, again, pool.Traffic(), DateTimeOffset.UnixEpoch)
            .Cells.Sum(c => c[CellState.AlreadyThere]).Should().Be(3);
    }
}
