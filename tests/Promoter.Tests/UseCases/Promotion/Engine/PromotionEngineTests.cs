using System.Text;
using FluentAssertions;
using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;
using Promoter.Promotion.Registries;

namespace Promoter.Tests.Promotion.Engine;

/// <summary>The planner and executor against two real Distribution registry processes.</summary>
public class PromotionEngineTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private static readonly PromotionPolicy Options = new() { Threads = 2 };

    [Fact]
    public async Task Planner_decides_copy_add_tag_already_promoted_refused_move_lost_and_allowed_move()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("plan");
        var source = $"{EngineFixture.Staging}/{id}/stg";
        var destination = $"{EngineFixture.Production}/{id}/prod";
        var src = pool.For(EngineFixture.Staging);
        var dst = pool.For(EngineFixture.Production);
        var d1 = await TestImages.PushAsync(src, $"{id}/stg/img", null, "one");
        var d2 = await TestImages.PushAsync(src, $"{id}/stg/img", null, "two");
        var d3 = await TestImages.PushAsync(src, $"{id}/stg/img", null, "three");
        var d4 = await TestImages.PushAsync(src, $"{id}/stg/img", null, "four");
        var d5 = await TestImages.PushAsync(src, $"{id}/stg/img", null, "five");
        // Destination: d2 by digest only, d3 tagged 3.0, 4.0 and 5.0.
        await TestImages.PushAsync(dst, $"{id}/prod/img", null, "two");
        await TestImages.PushAsync(dst, $"{id}/prod/img", "3.0", "three");
        await dst.PutManifestAsync($"{id}/prod/img", "4.0", d3.Manifest, d3.MediaType);
        await dst.PutManifestAsync($"{id}/prod/img", "5.0", d3.Manifest, d3.MediaType);
        var lost = Digest.Of(Encoding.UTF8.GetBytes("never pushed"));

        PromotionEdge Edge(Digest digest, string? tag) => new(source, "img", digest.Value, destination, "img", tag);
        var edges = new[]
        {
            Edge(d1.Digest, "1.0"),   // missing: copy
            Edge(d2.Digest, "2.0"),   // present untagged: add tag
            Edge(d3.Digest, "3.0"),   // tag already on it
            Edge(d4.Digest, "4.0"),   // tag on d3, d4 absent: refused
            Edge(d2.Digest, "5.0"),   // tag on d3, d2 present: refused ("tag move detected")
            Edge(lost, "6.0"),        // not in the source
            Edge(d5.Digest, null),    // tagless, missing: copy
            Edge(d2.Digest, null),    // tagless, present
        };

        var plan = await new PromotionPlanner(pool, Options).PlanAsync(edges);

        plan.Edges.Select(e => e.Decision).Should().Equal(
            EdgeDecision.Copy, EdgeDecision.AddTag, EdgeDecision.AlreadyPromoted, EdgeDecision.RefusedTagMove,
            EdgeDecision.RefusedTagMove, EdgeDecision.Lost, EdgeDecision.Copy, EdgeDecision.AlreadyPromoted);
        plan.Edges[3].CurrentDigest.Should().Be(d3.Digest);
        plan.Edges[3].DigestInDestination.Should().BeFalse();
        plan.Edges[4].DigestInDestination.Should().BeTrue();
        plan.Refusals.Should().HaveCount(2);
        plan.Lost.Single().Edge.Should().Be(edges[5]);
        plan.Copies.Select(c => c.Source.Digest).Should().BeEquivalentTo(new Digest?[] { d1.Digest, d5.Digest });
        plan.Tags.Select(t => t.Destination.Tag).Should().BeEquivalentTo("1.0", "2.0");
        plan.Describe().Last().Should().Be("plan: 2 copies, 2 tag(s), 2 refused, 1 lost, 2 already promoted");
        plan.Edges[3].ToString().Should().Contain($"{destination}/img:4.0 points at {d3.Digest}, not {d4.Digest}");

        var moves = await new PromotionPlanner(pool, Options with { AllowTagMoves = true }).PlanAsync([edges[3], edges[4]]);
        moves.Edges.Select(e => e.Decision).Should().Equal(EdgeDecision.MoveTag, EdgeDecision.MoveTag);
        moves.Copies.Should().ContainSingle().Which.Source.Digest.Should().Be(d4.Digest); // d2 is already there
        moves.Tags.Select(t => (t.Destination.Tag, t.Digest)).Should().BeEquivalentTo(new[] { ("4.0", d4.Digest), ("5.0", d2.Digest) });

        await new PromotionExecutor(pool, Options.Threads).ExecuteAsync(moves);
        (await dst.HeadManifestAsync($"{id}/prod/img", "4.0"))!.Digest.Should().Be(d4.Digest);
        (await dst.HeadManifestAsync($"{id}/prod/img", "5.0"))!.Digest.Should().Be(d2.Digest);
        (await dst.HeadManifestAsync($"{id}/prod/img", "3.0"))!.Digest.Should().Be(d3.Digest);
    }

    [Theory]
    [InlineData(EngineFixture.Staging)]     // another repository of the same registry: blobs mounted
    [InlineData(EngineFixture.Production)]  // another registry process: blobs uploaded
    public async Task Executor_copies_an_image_a_manifest_list_with_children_and_a_tagless_image_preserving_digests(string destinationHost)
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("exec");
        var source = $"{EngineFixture.Staging}/{id}-stg";
        var destination = $"{destinationHost}/{id}-prod";
        var seeded = await SeededFoo.PushAsync(pool.For(EngineFixture.Staging), $"{id}-stg/foo", id);
        var edges = seeded.Edges(source, destination);
        var executor = new PromotionExecutor(pool, Options.Threads);

        var plan = await new PromotionPlanner(pool, Options).PlanAsync(edges);
        plan.Edges.Select(e => e.Decision).Should().AllBeEquivalentTo(EdgeDecision.Copy);
        var result = await executor.ExecuteAsync(plan);

        result.ManifestsPut.Should().Be(4, "the index, its two children and the tagless image");
        result.TagsWritten.Should().Be(2);
        // Three images of two blobs each (the amd64 config is shared by two of them): 6 blob copies.
        (result.BlobsUploaded + result.BlobsMounted + result.BlobsPresent).Should().Be(6);
        if (destinationHost == EngineFixture.Staging)
        {
            result.BlobsUploaded.Should().Be(0);
            result.BlobsMounted.Should().BeGreaterThanOrEqualTo(5);
        }
        else
        {
            result.BlobsMounted.Should().Be(0);
            result.BlobsUploaded.Should().BeGreaterThanOrEqualTo(5);
        }

        var target = pool.For(destinationHost);
        var repository = $"{id}-prod/foo";
        (await target.HeadManifestAsync(repository, "1.0"))!.Digest.Should().Be(seeded.Index);
        (await target.HeadManifestAsync(repository, "1.0-linux_amd64"))!.Digest.Should().Be(seeded.Amd64.Digest);
        (await target.GetManifestAsync(repository, seeded.S390x.Digest.Value)).Bytes.Should().Equal(seeded.S390x.Manifest);
        (await target.ListTagsAsync(repository)).Should().BeEquivalentTo("1.0", "1.0-linux_amd64");

        var address = pool.Resolve(destinationHost).Address;
        var raw = await ExternalTool.RunAsync("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{address}/{repository}:1.0");
        raw.Should().Equal(seeded.IndexBytes);
        Digest.Of(raw).Should().Be(seeded.Index);
        var tagless = await ExternalTool.RunAsync("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{address}/{repository}@{seeded.Tagless.Digest}");
        Digest.Of(tagless).Should().Be(seeded.Tagless.Digest);

        var snapshot = await RegistrySnapshotter.TakeAsync(pool, destination);
        snapshot.ToText().Should().Be(seeded.SnapshotText("foo"), "tagless edges end tagless, the s390x child comes with its index");

        // Promoting the same edges again: nothing to plan, and executing (with the same executor) writes nothing.
        var again = await new PromotionPlanner(pool, Options).PlanAsync(edges);
        again.IsEmpty.Should().BeTrue();
        again.Edges.Select(e => e.Decision).Should().AllBeEquivalentTo(EdgeDecision.AlreadyPromoted);
        var second = await executor.ExecuteAsync(again);
        second.Should().Be(PromotionCounts.None);
    }

    [Fact]
    public async Task A_no_op_plan_costs_one_head_per_destination_tag_or_tagless_digest_plus_one_per_source_digest()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("noop");
        var src = pool.For(EngineFixture.Staging);
        var d1 = await TestImages.PushAsync(src, $"{id}/stg/img", null, $"one {id}");
        var d2 = await TestImages.PushAsync(src, $"{id}/stg/img", null, $"two {id}");
        var d3 = await TestImages.PushAsync(src, $"{id}/stg/img", null, $"three {id}");
        var source = $"{EngineFixture.Staging}/{id}/stg";
        var edges = new[] { $"{EngineFixture.Production}/{id}/a", $"{EngineFixture.Production}/{id}/b" }.SelectMany(destination => new PromotionEdge[]
        {
            new(source, "img", d1.Digest.Value, destination, "img", "1.0"),
            new(source, "img", d1.Digest.Value, destination, "img", "latest"),
            new(source, "img", d2.Digest.Value, destination, "img", "2.0"),
            new(source, "img", d3.Digest.Value, destination, "img", null),
        }).ToList();
        await new PromotionExecutor(pool, Options.Threads).ExecuteAsync(await new PromotionPlanner(pool, Options).PlanAsync(edges));

        using var staging = new FaultProxy(fixture.First.Host);
        using var production = new FaultProxy(fixture.Second.Host);
        using var counted = fixture.NewPool(staging: staging.Host, production: production.Host);
        var plan = await new PromotionPlanner(counted, Options).PlanAsync(edges);

        plan.Edges.Should().OnlyContain(e => e.Decision == EdgeDecision.AlreadyPromoted);
        // Before: a HEAD by digest in the source, then a HEAD by digest and one by tag in each destination (15 here).
        // Now: the source digests once (3), and one HEAD per destination tag or tagless digest (4 in each of 2 destinations).
        staging.Requests.Select(r => (r.Method, r.PathAndQuery)).Should().OnlyContain(r => r.Method == "HEAD")
            .And.OnlyHaveUniqueItems().And.HaveCount(3);
        production.Requests.Select(r => (r.Method, r.PathAndQuery)).Should().OnlyContain(r => r.Method == "HEAD")
            .And.OnlyHaveUniqueItems().And.HaveCount(8);
        production.Requests.Count(r => r.PathAndQuery.Contains("/manifests/sha256:", StringComparison.Ordinal))
            .Should().Be(2, "only the tagless digest is asked by digest, once per destination");
    }

    [Fact]
    public async Task A_tag_added_beside_a_tag_already_on_its_digest_costs_its_own_head_and_none_by_digest()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("newtag");
        var src = pool.For(EngineFixture.Staging);
        var source = $"{EngineFixture.Staging}/{id}/stg";
        var destination = $"{EngineFixture.Production}/{id}/prod";
        var images = new List<Digest>();
        for (var i = 0; i < 6; i++) images.Add((await TestImages.PushAsync(src, $"{id}/stg/img{i}", null, $"image {i} {id}")).Digest);
        PromotionEdge Edge(int i, string? tag) => new(source, $"img{i}", images[i].Value, destination, $"img{i}", tag);
        await new PromotionExecutor(pool, Options.Threads).ExecuteAsync(
            await new PromotionPlanner(pool, Options).PlanAsync(Enumerable.Range(0, 6).Select(i => Edge(i, "1.0")).ToList()));

        // Every image gains a tag and a tagless edge beside its promoted "1.0": whatever order the answers come in, the
        // HEAD of "1.0" proves each digest present, so the digest is never asked, and no reference is asked twice.
        using var staging = new FaultProxy(fixture.First.Host);
        using var production = new FaultProxy(fixture.Second.Host);
        using var counted = fixture.NewPool(staging: staging.Host, production: production.Host);
        var edges = Enumerable.Range(0, 6).SelectMany(i => new[] { Edge(i, "latest"), Edge(i, "1.0"), Edge(i, null) }).ToList();
        var plan = await new PromotionPlanner(counted, Options with { Threads = 8 }).PlanAsync(edges);

        plan.Edges.Where(e => e.Edge.Tag == "latest").Should().OnlyContain(e => e.Decision == EdgeDecision.AddTag && e.DigestInDestination);
        plan.Edges.Where(e => e.Edge.Tag != "latest").Should().OnlyContain(e => e.Decision == EdgeDecision.AlreadyPromoted);
        plan.Tags.Should().HaveCount(6);
        plan.Copies.Should().BeEmpty();
        staging.Requests.Should().HaveCount(6).And.OnlyContain(r => r.Method == "HEAD");
        production.Requests.Select(r => (r.Method, r.PathAndQuery)).Should().OnlyContain(r => r.Method == "HEAD")
            .And.OnlyHaveUniqueItems().And.HaveCount(12, "one HEAD per destination tag, none by digest");
    }

    [Fact]
    public async Task A_cold_copy_fetches_each_source_manifest_once_mounts_a_shared_blob_with_one_request_and_guards_new_tags_with_a_listing()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("cold-run");
        var src = pool.For(EngineFixture.Staging);
        // Three images whose configs are the same bytes (one blob shared by all) and whose layers differ.
        var images = new List<PushedImage>();
        for (var i = 0; i < 3; i++) images.Add(await TestImages.PushAsync(src, $"{id}/stg/img{i}", null, $"layer {i} {id}"));
        var config = images[0].Blobs[0].Digest;
        images.Should().OnlyContain(image => image.Blobs[0].Digest == config);
        var source = $"{EngineFixture.Staging}/{id}/stg";
        string[] tags = ["1.0", "1.0.0", "latest"];
        // Every image into two destination repositories of one registry, three tags each: 6 copies, 18 tags.
        var edges = (from i in Enumerable.Range(0, 3)
                     from destination in new[] { $"{EngineFixture.Production}/{id}/a", $"{EngineFixture.Production}/{id}/b" }
                     from tag in tags
                     select new PromotionEdge(source, $"img{i}", images[i].Digest.Value, destination, $"img{i}", tag)).ToList();

        using var staging = new FaultProxy(fixture.First.Host);
        using var production = new FaultProxy(fixture.Second.Host);
        using var counted = fixture.NewPool(staging: staging.Host, production: production.Host);
        var result = await new PromotionPipeline(counted, new PromotionPolicy { Confirm = true, Threads = 4 }).RunAsync(_ => edges);

        result.Stop.Should().Be(PromotionStop.Completed);
        result.Counts.Should().Be(new PromotionCounts(6, 4, 8, 0, 18),
            "6 manifests; each blob goes up once into the registry (the shared config and 3 layers) and is mounted everywhere else");
        staging.Requests.Where(r => r.Method == "GET" && r.PathAndQuery.Contains("/manifests/", StringComparison.Ordinal))
            .Should().HaveCount(3, "each source manifest is fetched once for both of its destinations");
        var requests = production.Requests.Select(r => (r.Method, r.PathAndQuery)).ToList();
        var configPath = $"/blobs/{config}";
        requests.Count(r => r.Method == "POST" && r.PathAndQuery.Contains($"mount={Uri.EscapeDataString(config.Value)}", StringComparison.Ordinal))
            .Should().Be(5);
        requests.Where(r => r.Method == "HEAD" && r.PathAndQuery.EndsWith(configPath, StringComparison.Ordinal)).Should().HaveCount(1,
            "the config is confirmed where it is uploaded, into a repository the plan found empty (not asked first); the 5 mounts " +
            "from there ask nothing before or after");
        requests.Count(r => r.PathAndQuery.StartsWith("/v2/_catalog", StringComparison.Ordinal)).Should().Be(1,
            "the first repository found unknown makes the plan read the registry's catalog, once");
        foreach (var repository in from name in new[] { "a", "b" } from i in Enumerable.Range(0, 3) select $"/v2/{id}/{name}/img{i}")
        {
            var mine = requests.Where(r => r.PathAndQuery.StartsWith(repository + "/", StringComparison.Ordinal)).ToList();
            var digest = images[int.Parse(repository[^1..])].Digest;
            var listings = mine.Count(r => r.Method == "GET" && r.PathAndQuery.Contains("/tags/list", StringComparison.Ordinal));
            // The plan asks a repository only until the catalog is read (groups are planned in parallel): then a HEAD of the
            // first tag (404) and a listing (NAME_UNKNOWN, the catalog lacks it); after that, nothing.
            var asked = mine.Contains(("HEAD", $"{repository}/manifests/1.0"));
            listings.Should().Be(asked ? 2 : 1, "one listing as the guard of the tag puts, and the plan's when it asked the repository");
            var expected = new List<(string, string)>
            {
                ("PUT", $"{repository}/manifests/1.0"), // the first tag's put writes the manifest: no put by digest
                ("PUT", $"{repository}/manifests/1.0.0"), ("PUT", $"{repository}/manifests/latest"),
                ("GET", $"{repository}/manifests/1.0"), // read back by a GET whose bytes are hashed: the tag and the manifest at once
                ("HEAD", $"{repository}/manifests/1.0.0"), ("HEAD", $"{repository}/manifests/latest"),
            };
            if (asked) expected.Add(("HEAD", $"{repository}/manifests/1.0"));
            mine.Where(r => r.PathAndQuery.Contains("/manifests/", StringComparison.Ordinal)).Should().BeEquivalentTo(expected,
                "no digest is asked of an empty repository, and no tag gets a guard HEAD: the three tags the plan saw absent are " +
                $"guarded by one listing just before their puts ({digest})");
            mine.Should().NotContain(r => r.PathAndQuery.Contains($"/manifests/{digest}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_no_op_run_costs_a_head_per_tag_and_one_tag_listing_per_source_repository_and_only_verify_destination_checks_blobs()
    {
        using var pool = fixture.NewPool();
        var id = fixture.Unique("noop-run");
        var src = pool.For(EngineFixture.Staging);
        var one = await TestImages.PushAsync(src, $"{id}/stg/img", null, $"one {id}");
        var two = await TestImages.PushAsync(src, $"{id}/stg/img", null, $"two {id}");
        var source = $"{EngineFixture.Staging}/{id}/stg";
        var destination = $"{EngineFixture.Production}/{id}/prod";
        var edges = new PromotionEdge[]
        {
            new(source, "img", one.Digest.Value, destination, "img", "1.0"),
            new(source, "img", one.Digest.Value, destination, "img", "latest"),
            new(source, "img", two.Digest.Value, destination, "img", "2.0"),
        };
        var policy = new PromotionPolicy { Confirm = true, Threads = 4 }; // attachments carried: the default
        (await new PromotionPipeline(pool, policy).RunAsync(_ => edges)).Stop.Should().Be(PromotionStop.Completed);

        // The damage a registry crash can leave under a tag in place: the layer's link in the destination repository
        // emptied (blob HEAD answers 500); no manifest HEAD shows it.
        var layer = one.Blobs[^1];
        var link = Path.Combine(fixture.Second.StorageRoot, "docker", "registry", "v2", "repositories", id, "prod", "img", "_layers",
            "sha256", layer.Digest.Hex, "link");
        File.Exists(link).Should().BeTrue();
        await File.WriteAllBytesAsync(link, []);
        var dst = pool.For(EngineFixture.Production);
        (await ServedContent.HeadBlobAsync(dst, $"{id}/prod/img", layer.Digest, layer.Bytes.Length)).State.Should().Be(ServedState.Broken);

        async Task<(FaultProxy Staging, FaultProxy Production)> RunCountedAsync(PromotionPolicy runPolicy)
        {
            var staging = new FaultProxy(fixture.First.Host);
            var production = new FaultProxy(fixture.Second.Host);
            using var counted = fixture.NewPool(staging: staging.Host, production: production.Host);
            var result = await new PromotionPipeline(counted, runPolicy).RunAsync(_ => edges);
            result.Stop.Should().Be(PromotionStop.Completed);
            result.Counts.TagsWritten.Should().Be(0);
            return (staging, production);
        }

        var (noopStaging, noopProduction) = await RunCountedAsync(policy);
        using (noopStaging)
        using (noopProduction)
        {
            noopStaging.Requests.Select(r => (r.Method, r.PathAndQuery)).Should().BeEquivalentTo(new[]
            {
                ("HEAD", $"/v2/{id}/stg/img/manifests/{one.Digest}"),
                ("HEAD", $"/v2/{id}/stg/img/manifests/{two.Digest}"),
                ("GET", $"/v2/{id}/stg/img/tags/list?n={Promoter.Attachments.AttachmentFinder.TagPageSize}"),
            }.Append(noopStaging.Requests.Single(r => r.PathAndQuery.Contains("/referrers/", StringComparison.Ordinal)) is var probe
                ? (probe.Method, probe.PathAndQuery) : default),
                "the source digests once each, the attachment tags of the repository listed once (none is there), and one " +
                "referrers request, the probe that finds Distribution 2.8 without the API");
            noopProduction.Requests.Select(r => (r.Method, r.PathAndQuery)).Should().BeEquivalentTo(new[]
            {
                ("HEAD", $"/v2/{id}/prod/img/manifests/1.0"),
                ("HEAD", $"/v2/{id}/prod/img/manifests/latest"),
                ("HEAD", $"/v2/{id}/prod/img/manifests/2.0"),
            }, "one HEAD per destination tag: what is already promoted is not checked deeply by default");
        }
        (await ServedContent.HeadBlobAsync(dst, $"{id}/prod/img", layer.Digest, layer.Bytes.Length)).State.Should().Be(ServedState.Broken,
            "the default no-op does not see a damaged blob link under a tag in place");

        var (verifyStaging, verifyProduction) = await RunCountedAsync(policy with { VerifyDestination = true });
        using (verifyStaging)
        using (verifyProduction)
        {
            verifyProduction.Requests.Where(r => r.Method == "GET" && r.PathAndQuery.Contains("/manifests/sha256:", StringComparison.Ordinal))
                .Select(r => r.PathAndQuery).Should().BeEquivalentTo([
                    $"/v2/{id}/prod/img/manifests/{one.Digest}", $"/v2/{id}/prod/img/manifests/{two.Digest}"],
                    "each destination digest is fetched by digest once");
            verifyProduction.Requests.Count(r => r.Method == "HEAD" && r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal))
                .Should().BeGreaterThanOrEqualTo(one.Blobs.Count + two.Blobs.Count, "each blob of each digest gets a HEAD with its size");
            verifyProduction.Requests.Should().Contain(r => r.Method == "PUT" && r.PathAndQuery.Contains("/blobs/uploads/", StringComparison.Ordinal),
                "the broken layer is written again");
        }
        (await ServedContent.HeadBlobAsync(dst, $"{id}/prod/img", layer.Digest, layer.Bytes.Length)).State.Should().Be(ServedState.Served,
            "--verify-destination repairs it");
    }
}
