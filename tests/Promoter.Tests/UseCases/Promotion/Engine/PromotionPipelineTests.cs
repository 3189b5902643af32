using System.Collections.Concurrent;
using System.Text;
using FluentAssertions;
using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Releases;
using Promoter.Tests.Support;
using Xunit;
using Promoter.Yaml;
using Promoter.Promotion.Registries;

namespace Promoter.Tests.Promotion.Engine;

/// <summary>
/// <see cref="PromotionPipeline"/> against two real Distribution registry processes: the phases run in order, a dry run
/// stops successfully, a refusal writes nothing, and the release policy fails on a lost edge where the default skips it.
/// </summary>
public class PromotionPipelineTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    /// <summary>Every log line of a run, with its level, in the order written.</summary>
    private sealed class LogLines
    {
        public ConcurrentQueue<(PromotionLogLevel Level, string Line)> Lines { get; } = new();

        public void Write(PromotionLogLevel level, string line) => Lines.Enqueue((level, line));

        public IReadOnlyList<string> At(PromotionLogLevel level) => Lines.Where(l => l.Level == level).Select(l => l.Line).ToList();

        public int IndexOf(string start) => Lines.Select(l => l.Line).ToList().FindIndex(l => l.StartsWith(start, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_phases_run_in_order_and_a_dry_run_stops_successfully_before_writing()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("phases");
        var image = await TestImages.PushAsync(pool.For(EngineFixture.Staging), $"{id}/img", null, "phases");
        var edge = new PromotionEdge($"{EngineFixture.Staging}/{id}", "img", image.Digest.Value, $"{EngineFixture.Production}/{id}", "img", "1.0");
        var loads = 0;
        IReadOnlyList<PromotionEdge> Load(Action<string> warn)
        {
            loads++;
            warn("a warning from the loader");
            return [edge];
        }

        var dryLog = new LogLines();
        var dry = await new PromotionPipeline(pool, new PromotionPolicy { Threads = 2, Log = dryLog.Write }).RunAsync(Load);

        dry.Stop.Should().Be(PromotionStop.DryRun);
        dry.Phases.Should().Equal(PromotionPhase.Load, PromotionPhase.Plan, PromotionPhase.Check, PromotionPhase.Stop);
        dry.StoppedAt.Should().Be(PromotionPhase.Stop);
        dry.Counts.Should().Be(PromotionCounts.None);
        dry.Plan.Edges.Should().ContainSingle().Which.Decision.Should().Be(EdgeDecision.Copy);
        dryLog.At(PromotionLogLevel.Warning).Should().Equal("a warning from the loader");
        // The plan lists its egress (the image's config and layer, and its manifest) and the requests execution sends per
        // quota domain: into the destination a HEAD, POST, PUT and HEAD per blob and 3 for the tag (guard HEAD, the PUT that
        // also writes the manifest, the read-back GET that hashes it); from the source a GET per blob (the manifest was read
        // by the plan).
        var egress = dry.Plan.Egress.Should().ContainSingle().Subject;
        (egress.Registry, egress.Blobs, egress.Manifests, egress.MountedBlobs).Should().Be((EngineFixture.Production, 2, 1, 0));
        dry.Plan.DomainBudgets.Select(b => (b.Limit.Domain.Name, b.Requests)).Should().BeEquivalentTo(
            [(fixture.Second.Host, 11L), (fixture.First.Host, 2L)]);
        dryLog.At(PromotionLogLevel.Information).Should().Equal(
            new[] { $"COPY  {edge}", "plan: 1 copy, 1 tag(s), 0 refused, 0 lost, 0 already promoted", egress.ToString() }
                .Concat(dry.Plan.DomainBudgets.Select(b => b.ToString()))
                .Append("Dry run complete: nothing was written (add --confirm to promote)."));
        dryLog.At(PromotionLogLevel.Detail).Select(l => l[..l.IndexOf(':')]).Should().Equal(
            "phase 1/5 load", "phase 2/5 plan", "phase 3/5 check", "phase 4/5 stop");
        dryLog.IndexOf("phase 1/5 load").Should().BeLessThan(dryLog.IndexOf("COPY"), "the plan is printed by the phase after load");
        dryLog.IndexOf("plan: 1 copy").Should().BeLessThan(dryLog.IndexOf("phase 2/5 plan"));
        (await pool.For(EngineFixture.Production).HeadManifestAsync($"{id}/img", "1.0")).Should().BeNull("a dry run writes nothing");
        (await pool.For(EngineFixture.Production).HeadManifestAsync($"{id}/img", image.Digest.Value)).Should().BeNull();

        var liveLog = new LogLines();
        var live = await new PromotionPipeline(pool, new PromotionPolicy { Confirm = true, Threads = 2, Log = liveLog.Write }).RunAsync(Load);

        live.Stop.Should().Be(PromotionStop.Completed);
        live.Phases.Should().Equal(PromotionPipeline.Phases);
        live.StoppedAt.Should().Be(PromotionPhase.Execute);
        live.Counts.Should().Be(new PromotionCounts(1, 2, 0, 0, 1));
        // The budget from the plan (1 copy the tag's put writes - the plan read the source manifest; 1 tag: guard HEAD, PUT,
        // read-back GET that hashes the manifest too), then what the pool counted: the two blobs add HEAD, GET, POST, PUT and
        // the confirming HEAD each; then the closing report: the egress and each quota domain's requests.
        var lines = liveLog.At(PromotionLogLevel.Information).ToList();
        var budget = lines.FindIndex(l => l.StartsWith("request budget: ", StringComparison.Ordinal));
        lines.Skip(budget).Should().Equal(new[]
            {
                "request budget: 3 manifest and tag request(s) for 1 copy and 1 tag(s), plus blob and child-manifest requests",
                $"promoted: {live.Counts}",
                "requests sent: 13 (budget 3 for manifests and tags; 10 for blobs, children and retries)",
                $"sent: {live.Plan.Egress.Single()}",
            }.Concat(live.Plan.DomainBudgets.Select(b => $"quota domain {b.Limit.Domain.Name} (unlimited): ")),
            (line, expected) => line.StartsWith(expected, StringComparison.Ordinal));
        liveLog.At(PromotionLogLevel.Detail).Should().Contain($"copied {edge.SourceReference()} -> {edge.DestinationReference().WithDigest(image.Digest)}")
            .And.Contain(l => l.StartsWith("phase 5/5 execute: done"));
        (await pool.For(EngineFixture.Production).HeadManifestAsync($"{id}/img", "1.0"))!.Digest.Should().Be(image.Digest);
        loads.Should().Be(2, "each run loads its edges once");
    }

    [Fact]
    public async Task A_refused_tag_move_ends_the_run_in_the_check_phase_and_nothing_is_written()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("refuse");
        var source = $"{EngineFixture.Staging}/{id}";
        var destination = $"{EngineFixture.Production}/{id}";
        var src = pool.For(EngineFixture.Staging);
        var dst = pool.For(EngineFixture.Production);
        var wanted = await TestImages.PushAsync(src, $"{id}/img", null, "wanted");
        var other = await TestImages.PushAsync(src, $"{id}/img", null, "other");
        var innocent = await TestImages.PushAsync(src, $"{id}/img", null, "innocent");
        await TestImages.PushAsync(dst, $"{id}/img", "1.0", "other");
        var before = (await RegistrySnapshotter.TakeAsync(pool, destination)).ToText();
        PromotionEdge[] edges =
        [
            new(source, "img", wanted.Digest.Value, destination, "img", "1.0"),
            new(source, "img", innocent.Digest.Value, destination, "img", "2.0"),
        ];
        var log = new LogLines();

        var run = () => new PromotionPipeline(pool, new PromotionPolicy { Confirm = true, Threads = 2, Log = log.Write }).RunAsync(_ => edges);

        var refused = (await run.Should().ThrowAsync<PromotionRefusedException>()).Which;
        refused.Message.Should().StartWith("1 tag move(s) refused; nothing was promoted:\n  REFUSED tag move: ")
            .And.Contain($"{destination}/img:1.0 points at {other.Digest}, not {wanted.Digest}");
        refused.Refused.Should().ContainSingle().Which.CurrentDigest.Should().Be(other.Digest);
        log.At(PromotionLogLevel.Detail).Last().Should().StartWith("phase 3/5 check: failed");
        log.Lines.Should().NotContain(l => l.Line.StartsWith("copied ") || l.Line.StartsWith("promoted:"));

        (await RegistrySnapshotter.TakeAsync(pool, destination)).ToText().Should().Be(before);
        (await dst.HeadManifestAsync($"{id}/img", "1.0"))!.Digest.Should().Be(other.Digest);
        (await dst.HeadManifestAsync($"{id}/img", innocent.Digest.Value)).Should().BeNull("the innocent edge is not promoted either");
        (await dst.HeadManifestAsync($"{id}/img", wanted.Digest.Value)).Should().BeNull();

        // With tag moves allowed, the same edges go through and the tag moves.
        var moved = await new PromotionPipeline(pool, new PromotionPolicy { Confirm = true, AllowTagMoves = true, Threads = 2 }).RunAsync(_ => edges);
        moved.Stop.Should().Be(PromotionStop.Completed);
        (await dst.HeadManifestAsync($"{id}/img", "1.0"))!.Digest.Should().Be(wanted.Digest);
    }

    [Fact]
    public async Task A_dry_run_with_a_refused_tag_move_fails_too()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("dry-refuse");
        var wanted = await TestImages.PushAsync(pool.For(EngineFixture.Staging), $"{id}/img", null, "wanted");
        await TestImages.PushAsync(pool.For(EngineFixture.Production), $"{id}/img", "1.0", "other");
        var edge = new PromotionEdge($"{EngineFixture.Staging}/{id}", "img", wanted.Digest.Value, $"{EngineFixture.Production}/{id}", "img", "1.0");

        var run = () => new PromotionPipeline(pool, new PromotionPolicy()).RunAsync(_ => [edge]);

        await run.Should().ThrowAsync<PromotionRefusedException>("the check phase comes before the dry-run stop, so a dry run tells what a real run would refuse");
    }

    [Fact]
    public async Task A_lost_edge_is_skipped_with_a_warning_by_default_and_fails_the_release_policy()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("lost");
        var source = $"{EngineFixture.Staging}/{id}";
        var present = await TestImages.PushAsync(pool.For(EngineFixture.Staging), $"{id}/img", null, "present");
        var missing = Digest.Of(Encoding.UTF8.GetBytes("never pushed"));
        PromotionEdge[] Edges(string destination) =>
        [
            new(source, "img", present.Digest.Value, destination, "img", "1.0"),
            new(source, "img", missing.Value, destination, "img", "2.0"),
        ];
        var dst = pool.For(EngineFixture.Production);

        var log = new LogLines();
        var skipped = await new PromotionPipeline(pool, new PromotionPolicy { Confirm = true, Threads = 2, Log = log.Write })
            .RunAsync(_ => Edges($"{EngineFixture.Production}/{id}/skip"));
        skipped.Stop.Should().Be(PromotionStop.Completed);
        skipped.Plan.Lost.Should().ContainSingle();
        log.At(PromotionLogLevel.Warning).Should().Equal("1 edge(s) name digests missing from the source; they are skipped");
        (await dst.HeadManifestAsync($"{id}/skip/img", "1.0"))!.Digest.Should().Be(present.Digest);

        var release = new PromotionPipeline(pool, ReleasePipeline.Policy(2, null));
        var run = () => release.RunAsync(_ => Edges($"{EngineFixture.Production}/{id}/release"));
        var refused = (await run.Should().ThrowAsync<PromotionRefusedException>()).Which;
        refused.Message.Should().Be(
            $"1 edge(s) name digests missing from the source; nothing was promoted:\n  LOST  {source}/img@{missing} is not in the source registry");
        refused.Refused.Should().ContainSingle().Which.Decision.Should().Be(EdgeDecision.Lost);
        (await dst.HeadManifestAsync($"{id}/release/img", present.Digest.Value)).Should().BeNull("a refused release promotes nothing");
    }

    [Fact]
    public void The_release_policy_confirms_never_moves_a_tag_and_fails_on_lost_edges()
    {
        var policy = ReleasePipeline.Policy(3, null);
        policy.Should().Be(new PromotionPolicy { Confirm = true, AllowTagMoves = false, LostEdges = LostEdgePolicy.Fail, Threads = 3 });
    }

    [Fact]
    public async Task A_load_failure_ends_the_run_in_the_load_phase()
    {
        using var pool = fixture.NewPool();
        var log = new LogLines();
        var error = new InputFormatException(new ManifestError(new SourceLocation("m.yaml", 3, "images[0].name"), "missing"));

        var run = () => new PromotionPipeline(pool, new PromotionPolicy { Confirm = true, Log = log.Write }).RunAsync(_ => throw error);

        (await run.Should().ThrowAsync<InputFormatException>()).Which.Should().BeSameAs(error);
        log.Lines.Select(l => l.Line).Should().ContainSingle().Which.Should().StartWith("phase 1/5 load: failed");
    }
}
