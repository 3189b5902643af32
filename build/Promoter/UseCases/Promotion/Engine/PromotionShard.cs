using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Promoter.Registry;

namespace Promoter.Promotion.Engine;

/// <summary>
/// One part of a promotion split over <see cref="Count"/> processes (the pods of a Kubernetes Indexed Job, or
/// <c>Promote --shard=I/N</c>): the edges whose destination repository falls to <see cref="Index"/>. Every edge of a
/// destination repository (its tags, its tagless digests, an index and the tags of its children) falls to one shard, so
/// no two shards write one repository, and the shards of one count together hold every edge exactly once.
/// The repository's shard is a SHA-256 of its key (<see cref="RepositoryKey"/>), never .NET's per-process randomised
/// string hash, so every process, machine and run agrees. See <c>Promotion/README.md</c>, "Sharded promotion".
/// </summary>
/// <param name="Index">This shard, 0 to <see cref="Count"/> - 1 (as Kubernetes' <c>JOB_COMPLETION_INDEX</c>).</param>
/// <param name="Count">How many shards the promotion is split into, 1 to <see cref="MaxCount"/>.</param>
public sealed record PromotionShard(int Index, int Count)
{
    /// <summary>The most shards a promotion may be split into (Kubernetes allows up to 100,000 completions for an
    /// Indexed Job; more shards than that would not be a promotion split but a bug).</summary>
    public const int MaxCount = 1000;

    /// <summary>The environment variable Kubernetes sets in each pod of an Indexed Job: the pod's index, 0 to completions - 1.</summary>
    public const string CompletionIndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>This shard, 0 to <see cref="Count"/> - 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Count is not 1 to <see cref="MaxCount"/>, or Index is not 0 to Count - 1.</exception>
    public int Index { get; init; } = Index is >= 0 && Index < Count ? Index
        : throw new ArgumentOutOfRangeException(nameof(Index), Index, $"a shard index is 0 to {Count - 1}");

    /// <summary>How many shards the promotion is split into.</summary>
    public int Count { get; init; } = Count is >= 1 and <= MaxCount ? Count
        : throw new ArgumentOutOfRangeException(nameof(Count), Count, $"a shard count is 1 to {MaxCount}");

    /// <summary>Names the shard for logs: <c>shard 2 of 4</c> (indexes from 0, as Kubernetes').</summary>
    public override string ToString() => $"shard {Index} of {Count}";

    /// <summary>Names the shard in file names: <c>shard-2-of-4</c>.</summary>
    public string FileSuffix => $"shard-{Index}-of-{Count}";

    /// <summary>Parses <c>I/N</c>, e.g. <c>0/4</c>: shard I (0 to N - 1) of N (1 to <see cref="MaxCount"/>).</summary>
    /// <exception cref="FormatException">Not two whole numbers around a '/', N out of range, or I not below N; the message
    /// quotes the text and says what was expected.</exception>
    public static PromotionShard Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || !Whole(text[..slash], out var index) || !Whole(text[(slash + 1)..], out var count))
            throw new FormatException($"'{text}' is not a shard: expected I/N, two whole numbers, shard I (0 to N-1) of N, e.g. 0/4.");
        if (count is < 1 or > MaxCount)
            throw new FormatException($"'{text}' is not a shard: the count N must be 1 to {MaxCount}, got {count}.");
        if (index >= count)
            throw new FormatException($"'{text}' is not a shard: the index I must be 0 to {count - 1} (indexes start at 0), got {index}.");
        return new PromotionShard(index, count);
    }

    /// <summary>
    /// The shard of a pod of an Indexed Job with <paramref name="count"/> completions: its index is
    /// <paramref name="completionIndex"/>, the text of <see cref="CompletionIndexVariable"/>.
    /// </summary>
    /// <exception cref="FormatException">The variable is unset, not a whole number, or not 0 to count - 1 (the Job's
    /// completions and the --shards it passes disagree); or the count is out of range.</exception>
    public static PromotionShard FromCompletionIndex(int count, string? completionIndex)
    {
        if (count is < 1 or > MaxCount)
            throw new FormatException($"--shards must be 1 to {MaxCount}, got {count}.");
        if (string.IsNullOrWhiteSpace(completionIndex))
            throw new FormatException($"--shards={count} takes the shard index from {CompletionIndexVariable}, which is not set " +
                "(it is set in the pods of a Kubernetes Job with completionMode: Indexed); outside a pod use --shard=I/N.");
        if (!Whole(completionIndex, out var index))
            throw new FormatException($"{CompletionIndexVariable}='{completionIndex}' is not a whole number (expected 0 to {count - 1}).");
        if (index >= count)
            throw new FormatException($"{CompletionIndexVariable}={index} is out of range for --shards={count} (expected 0 to {count - 1}): " +
                "the Job's completions and the --shards its container passes disagree.");
        return new PromotionShard(index, count);
    }

    /// <summary>
    /// The key a destination repository is sharded by: the registry host's identity (<see cref="Oci.RegistryHost.Identity"/>,
    /// so two spellings of one loopback registry are one key) and the repository path, e.g. <c>gcr.io:443/prod/foo</c>.
    /// </summary>
    /// <exception cref="FormatException">The destination registry name is malformed.</exception>
    public static string RepositoryKey(PromotionEdge edge)
    {
        var path = RegistryPath.Parse(edge.DestinationRegistry);
        return $"{path.ParsedHost.Identity}/{path.RepositoryFor(edge.DestinationImage)}";
    }

    /// <summary>The shard (0 to <paramref name="count"/> - 1) of a repository key: the first 8 bytes of the SHA-256 of its
    /// UTF-8 text, big-endian, modulo the count.</summary>
    public static int ShardOf(string repositoryKey, int count)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(repositoryKey), hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)count);
    }

    /// <summary>True when <paramref name="edge"/>'s destination repository falls to this shard.</summary>
    /// <exception cref="FormatException">The destination registry name is malformed.</exception>
    public bool Holds(PromotionEdge edge) => ShardOf(RepositoryKey(edge), Count) == Index;

    /// <summary>This shard's edges of <paramref name="edges"/>, in their order.</summary>
    /// <exception cref="FormatException">A destination registry name is malformed.</exception>
    public IReadOnlyList<PromotionEdge> Select(IReadOnlyList<PromotionEdge> edges) => edges.Where(Holds).ToList();

    /// <summary>One line for the log: <c>shard 1 of 4: 12 of 40 edge(s), 3 of 10 destination repositories</c>.</summary>
    public string Describe(IReadOnlyList<PromotionEdge> all, IReadOnlyList<PromotionEdge> mine) =>
        $"{this}: {mine.Count} of {all.Count} edge(s), {mine.Select(RepositoryKey).Distinct().Count()} of " +
        $"{all.Select(RepositoryKey).Distinct().Count()} destination repositories";

    /// <summary>
    /// <paramref name="load"/> followed by <see cref="Select"/>: every shard loads and checks all manifests (so each
    /// refuses the same bad input), then keeps its own edges; <paramref name="describe"/> receives <see cref="Describe"/>'s line.
    /// </summary>
    public EdgeLoader Filter(EdgeLoader load, Action<string>? describe = null) => warn =>
    {
        var all = load(warn);
        var mine = Select(all);
        describe?.Invoke(Describe(all, mine));
        return mine;
    };

    /// <summary>A file name of this shard: <c>plan.json</c> becomes <c>plan.shard-1-of-4.json</c>, <c>junit_promotion.xml</c>
    /// <c>junit_promotion_shard-1-of-4.xml</c> (a JUnit name keeps Prow's <c>junit_*.xml</c> shape); a folder part is kept.</summary>
    public string FileName(string path)
    {
        var folder = Path.GetDirectoryName(path);
        var name = Path.GetFileNameWithoutExtension(path);
        var separator = name.StartsWith("junit_", StringComparison.Ordinal) ? "_" : ".";
        var file = name + separator + FileSuffix + Path.GetExtension(path);
        return string.IsNullOrEmpty(folder) ? file : Path.Combine(folder, file);
    }

    private static bool Whole(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
