using FluentAssertions;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;

namespace Promoter.Tests.Promotion.Engine;

/// <summary>
/// Two promotions at once against the same real Distribution registries, each with its own pool (as two processes
/// would be): racing uploads of one blob into one repository and racing puts of one manifest both end well, and two
/// promotions racing to put one tag on different digests never both report success.
/// </summary>
public class ConcurrentPromotionTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    /// <summary>How many times each race is run (fresh repositories each time).</summary>
    private const int Repetitions = 8;

    private static readonly PromotionPolicy Policy = new() { Confirm = true, Threads = 8 };

    [Theory]
    [InlineData(EngineFixture.Production)] // across registries: uploads race
    [InlineData(EngineFixture.Staging)] // within one registry: mounts race
    public async Task Two_promotions_of_the_same_manifest_at_once_both_succeed(string destinationHost)
    {
        for (var round = 0; round < Repetitions; round++)
        {
            using var seeding = fixture.NewPool();
            var id = fixture.Unique("race");
            var source = $"{EngineFixture.Staging}/{id}-stg";
            var destination = $"{destinationHost}/{id}-prod";
            var edges = await SeedAsync(seeding.For(EngineFixture.Staging), $"{id}-stg", id);

            using var first = fixture.NewPool();
            using var second = fixture.NewPool();
            var runs = await Task.WhenAll(
                Task.Run(() => new PromotionPipeline(first, Policy).RunAsync(_ => edges.Edges(source, destination))),
                Task.Run(() => new PromotionPipeline(second, Policy).RunAsync(_ => edges.Edges(source, destination))));

            runs.Should().AllSatisfy(r => r.Stop.Should().Be(PromotionStop.Completed));
            await ShouldHoldEverythingAsync(seeding.For(destinationHost), $"{id}-prod", edges);
        }
    }

    [Fact]
    public async Task Two_promotions_putting_one_tag_on_different_digests_never_both_succeed()
    {
        for (var round = 0; round < Repetitions; round++)
        {
            using var seeding = fixture.NewPool();
            var id = fixture.Unique("tag-race");
            var staging = seeding.For(EngineFixture.Staging);
            var one = await TestImages.PushAsync(staging, $"{id}-stg/img", null, $"one {id}\n");
            var two = await TestImages.PushAsync(staging, $"{id}-stg/img", null, $"two {id}\n");
            var source = $"{EngineFixture.Staging}/{id}-stg";
            var destination = $"{EngineFixture.Production}/{id}-prod";
            PromotionEdge Edge(PushedImage image) => new(source, "img", image.Digest.Value, destination, "img", "1.0");

            using var first = fixture.NewPool();
            using var second = fixture.NewPool();
            var runs = new[]
            {
                Task.Run(() => new PromotionPipeline(first, Policy).RunAsync(_ => [Edge(one)])),
                Task.Run(() => new PromotionPipeline(second, Policy).RunAsync(_ => [Edge(two)])),
            };
            try { await Task.WhenAll(runs); } catch (RegistryException) { /* inspected below */ }

            runs.Count(r => r.IsCompletedSuccessfully).Should().Be(1, $"round {round}: exactly one of two racing tag writes may succeed");
            var failure = runs.Single(r => r.IsFaulted).Exception!.InnerException.Should().BeOfType<RegistryException>().Subject;
            failure.Message.Should().Contain($"/{id}-prod/img:1.0").And.Contain(one.Digest.Value).And.Contain(two.Digest.Value);
            var winner = runs[0].IsCompletedSuccessfully ? one : two;
            (await seeding.For(EngineFixture.Production).HeadManifestAsync($"{id}-prod/img", "1.0"))!.Digest.Should()
                .Be(winner.Digest, "the run that reported success left the tag on its digest");
        }
    }

    /// <summary>Images that share blobs (one config for every amd64 image, one base layer of 300 KB) plus an index.</summary>
    private static async Task<Seed> SeedAsync(RegistryClient staging, string prefix, string salt)
    {
        var foo = await SeededFoo.PushAsync(staging, $"{prefix}/foo", salt);
        var padding = new string('x', 300 * 1024);
        var extras = new List<PushedImage>();
        for (var i = 0; i < 4; i++)
            extras.Add(await TestImages.PushAsync(staging, $"{prefix}/foo", null, $"{padding} {i % 2} {salt}\n"));
        return new Seed(foo, extras);
    }

    private static async Task ShouldHoldEverythingAsync(RegistryClient target, string prefix, Seed seed)
    {
        var repository = $"{prefix}/foo";
        (await target.HeadManifestAsync(repository, "1.0"))!.Digest.Should().Be(seed.Foo.Index);
        (await target.HeadManifestAsync(repository, "1.0-linux_amd64"))!.Digest.Should().Be(seed.Foo.Amd64.Digest);
        foreach (var image in seed.Images)
        {
            (await target.GetManifestAsync(repository, image.Digest.Value)).Bytes.Should().Equal(image.Manifest);
            foreach (var (digest, bytes) in image.Blobs)
            {
                await using var stream = await target.GetBlobAsync(repository, digest);
                using var read = new MemoryStream();
                await stream.CopyToAsync(read);
                read.ToArray().Should().Equal(bytes, $"blob {digest} of {image.Digest} must be served whole");
            }
        }
    }

    private sealed record Seed(SeededFoo Foo, IReadOnlyList<PushedImage> Extras)
    {
        public IEnumerable<PushedImage> Images => Extras.Concat([Foo.Amd64, Foo.S390x, Foo.Tagless]);

        public IReadOnlyList<PromotionEdge> Edges(string source, string destination) =>
            [.. Foo.Edges(source, destination), .. Extras.Select(e => new PromotionEdge(source, "foo", e.Digest.Value, destination, "foo", null))];
    }
}
