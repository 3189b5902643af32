using System.Globalization;
using FluentAssertions;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Xunit;
using Promoter.Tests.Support;

namespace Promoter.Tests.Promotion.Engine;

/// <summary>
/// <see cref="PromotionShard"/>: the partition by destination repository (disjoint, complete, a repository whole, the same
/// in every process), and the errors of <c>--shard=I/N</c> and <c>--shards=N</c> with <c>JOB_COMPLETION_INDEX</c>.
/// </summary>
public sealed class PromotionShardTests
{
    private static readonly string[] Digests = Enumerable.Range(0, 6).Select(i => "sha256:" + new string((char)('a' + i), 64)).ToArray();

    /// <summary>40 images, each in 3 destinations, with 2 tags, a tagless digest, and for every 5th an index's two children tagged.</summary>
    private static IReadOnlyList<PromotionEdge> ManyEdges()
    {
        var edges = new List<PromotionEdge>();
        string[] destinations = ["us.gcr.io/prod", "eu.gcr.io/prod", "127.0.0.1:5000/mirror/deep"];
        for (var i = 0; i < 40; i++)
        {
            var image = $"team-{i % 7}/img-{i:D3}";
            foreach (var destination in destinations)
            {
                edges.Add(new PromotionEdge("gcr.io/stg", image, Digests[0], destination, image, "1.0"));
                edges.Add(new PromotionEdge("gcr.io/stg", image, Digests[0], destination, image, "latest"));
                edges.Add(new PromotionEdge("gcr.io/stg", image, Digests[1], destination, image, null));
                if (i % 5 != 0) continue;
                edges.Add(new PromotionEdge("gcr.io/stg", image, Digests[2], destination, image, "1.0-linux_amd64"));
                edges.Add(new PromotionEdge("gcr.io/stg", image, Digests[3], destination, image, "1.0-linux_s390x"));
            }
        }
        return edges;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(8)]
    public void The_shards_of_one_count_hold_every_edge_exactly_once_and_each_repository_whole(int count)
    {
        var edges = ManyEdges();
        var shards = Enumerable.Range(0, count).Select(i => new PromotionShard(i, count).Select(edges)).ToList();

        shards.SelectMany(s => s).Should().BeEquivalentTo(edges, "together the shards are the whole promotion");
        shards.Sum(s => s.Count).Should().Be(edges.Count, "no edge is in two shards");
        var owners = shards.SelectMany((s, i) => s.Select(e => (Repository: PromotionShard.RepositoryKey(e), Shard: i)))
            .GroupBy(x => x.Repository).ToDictionary(g => g.Key, g => g.Select(x => x.Shard).Distinct().ToList());
        owners.Should().HaveCount(120).And.OnlyContain(o => o.Value.Count == 1, "a repository (its tags, an index and its children's tags) is written by one shard");
        if (count > 1) shards.Should().OnlyContain(s => s.Count > 0, "120 repositories spread over every shard");
        foreach (var shard in shards)
            shard.Should().Equal(edges.Where(shard.Contains), "a shard keeps the manifest order");
    }

    [Fact]
    public void Two_spellings_of_one_loopback_registry_fall_to_one_shard()
    {
        var a = new PromotionEdge("gcr.io/stg", "foo", Digests[0], "127.0.0.1:5000/prod", "foo", "1.0");
        var b = a with { DestinationRegistry = "localhost:5000/prod" };
        PromotionShard.RepositoryKey(a).Should().Be(PromotionShard.RepositoryKey(b)).And.Be("loopback:5000/prod/foo");
        var c = a with { DestinationRegistry = "127.0.0.1:5000", DestinationImage = "prod/foo" };
        PromotionShard.RepositoryKey(c).Should().Be("loopback:5000/prod/foo", "registry prefix and image path make one repository path");
    }

    [Fact]
    public void The_shard_of_a_repository_is_the_sha256_that_sha256sum_computes_not_a_per_process_hash()
    {
        foreach (var key in ManyEdges().Select(PromotionShard.RepositoryKey).Distinct().Take(12))
        {
            var hex = Sha256Sum(key);
            var expected = (int)(ulong.Parse(hex[..16], NumberStyles.HexNumber, CultureInfo.InvariantCulture) % 7);
            PromotionShard.ShardOf(key, 7).Should().Be(expected, $"sha256sum of '{key}' is {hex}");
        }
    }

    [Theory]
    [InlineData("3/2", "the index I must be 0 to 1")]
    [InlineData("2/2", "the index I must be 0 to 1 (indexes start at 0), got 2")]
    [InlineData("0/0", "the count N must be 1 to 1000, got 0")]
    [InlineData("0/1001", "the count N must be 1 to 1000")]
    [InlineData("-1/2", "expected I/N, two whole numbers")]
    [InlineData("a/2", "expected I/N")]
    [InlineData("1", "expected I/N")]
    [InlineData("1/2/3", "expected I/N")]
    [InlineData(" 1/2", "expected I/N")]
    [InlineData("", "expected I/N")]
    public void A_bad_shard_is_refused_naming_the_text_and_what_was_expected(string text, string expected)
    {
        var parse = () => PromotionShard.Parse(text);
        parse.Should().Throw<FormatException>().Which.Message.Should().Contain($"'{text}' is not a shard").And.Contain(expected);
    }

    [Fact]
    public void A_good_shard_parses_and_names_itself_in_logs_and_files()
    {
        var shard = PromotionShard.Parse("1/4");
        shard.Should().Be(new PromotionShard(1, 4));
        shard.ToString().Should().Be("shard 1 of 4");
        shard.FileName("/tmp/out/plan.json").Should().Be("/tmp/out/plan.shard-1-of-4.json");
        shard.FileName("junit_promotion.xml").Should().Be("junit_promotion_shard-1-of-4.xml");
        var constructing = () => new PromotionShard(4, 4);
        constructing.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData(4, null, "JOB_COMPLETION_INDEX, which is not set")]
    [InlineData(4, "", "JOB_COMPLETION_INDEX, which is not set")]
    [InlineData(4, "4", "JOB_COMPLETION_INDEX=4 is out of range for --shards=4 (expected 0 to 3)")]
    [InlineData(4, "-1", "JOB_COMPLETION_INDEX='-1' is not a whole number (expected 0 to 3)")]
    [InlineData(4, "two", "JOB_COMPLETION_INDEX='two' is not a whole number")]
    [InlineData(0, "0", "--shards must be 1 to 1000, got 0")]
    public void A_completion_index_out_of_range_is_refused(int count, string? index, string expected)
    {
        var resolve = () => PromotionShard.FromCompletionIndex(count, index);
        resolve.Should().Throw<FormatException>().Which.Message.Should().Contain(expected);
    }

    [Fact]
    public void A_completion_index_in_range_is_the_shard()
    {
        PromotionShard.FromCompletionIndex(4, "3").Should().Be(new PromotionShard(3, 4));
        PromotionShard.FromCompletionIndex(1, "0").Should().Be(new PromotionShard(0, 1));
    }

    [Fact]
    public void The_filter_loads_everything_then_keeps_its_edges_and_describes_them()
    {
        var edges = ManyEdges();
        var shard = new PromotionShard(2, 3);
        var lines = new List<string>();
        var loaded = shard.Filter(_ => edges, lines.Add)(_ => { });
        loaded.Should().Equal(shard.Select(edges));
        lines.Should().ContainSingle().Which.Should().Be(
            $"shard 2 of 3: {loaded.Count} of {edges.Count} edge(s), {loaded.Select(PromotionShard.RepositoryKey).Distinct().Count()} of 120 destination repositories");
    }

    private static string Sha256Sum(string text)
    {
        var output = ExternalTool.Run("sha256sum", [], new ToolOptions { Input = text }).EnsureSuccess().Output;
        return output.Split(' ')[0];
    }
}
