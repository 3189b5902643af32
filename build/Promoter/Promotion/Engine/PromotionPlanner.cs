using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Registry;

namespace Promoter.Promotion.Engine;

/// <summary>
/// Decides, for every edge, what a promotion must do, by asking the source and destination registries
/// (HEAD requests only; nothing is written). The rules are upstream CIP's (build/Promoter/Promotion/README.md):
/// a tag already on the wanted digest is left alone, a digest already present only gains its tag,
/// a missing digest is copied, a tag on another digest is refused unless tag moves are allowed,
/// and a digest missing from the source is reported as lost.
/// </summary>
internal sealed class PromotionPlanner(RegistryPool registries, PromotionPolicy policy)
{
    /// <summary>The answers of one plan's HEAD requests, by <c>address/repository@reference</c>.</summary>
    private sealed class Heads : System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<Digest?>>>
    {
        /// <summary>Destination references the registry lists but does not serve (a 5xx), by the same key, with the problem.</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<string, string> Unserved { get; } = new();
    }

    /// <summary>Plans <paramref name="edges"/>.</summary>
    /// <exception cref="Promoter.Registry.RegistryException">A registry could not be asked (refused connection, 401, ...).</exception>
    public async Task<PromotionPlan> PlanAsync(IReadOnlyList<PromotionEdge> edges, CancellationToken cancellationToken = default)
    {
        var planned = new PlannedEdge[edges.Count];
        var heads = new Heads();
        await Parallel.ForEachAsync(Enumerable.Range(0, edges.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, policy.Threads), CancellationToken = cancellationToken },
            async (i, ct) => planned[i] = await PlanEdgeAsync(heads, edges[i], ct));
        return new PromotionPlan(planned) { Unserved = heads.Unserved.ToDictionary() };
    }

    private async Task<PlannedEdge> PlanEdgeAsync(Heads heads, PromotionEdge edge, CancellationToken cancellationToken)
    {
        var digest = Digest.Parse(edge.Digest);
        var source = edge.SourceReference();
        var destination = edge.DestinationReference();

        if (await HeadAsync(heads, source, cancellationToken) is null)
            return new PlannedEdge(edge, EdgeDecision.Lost, false, null);

        if (edge.Tag is null)
        {
            var present = await HeadAsync(heads, destination.WithDigest(digest), cancellationToken, inDestination: true) is not null;
            return new PlannedEdge(edge, present ? EdgeDecision.AlreadyPromoted : EdgeDecision.Copy, present, null);
        }

        // The HEAD by tag comes first: it answers the digest the tag points at, so a tag already on the wanted digest
        // (the common case of a promotion run again) also proves the digest present, and costs this one request.
        var tagged = await HeadAsync(heads, destination, cancellationToken, inDestination: true);
        if (tagged == digest)
            return new PlannedEdge(edge, EdgeDecision.AlreadyPromoted, true, null);
        var digestInDestination = await HeadAsync(heads, destination.WithDigest(digest), cancellationToken, inDestination: true) is not null;
        if (tagged is null)
            return new PlannedEdge(edge, digestInDestination ? EdgeDecision.AddTag : EdgeDecision.Copy, digestInDestination, null);
        return new PlannedEdge(edge, policy.AllowTagMoves ? EdgeDecision.MoveTag : EdgeDecision.RefusedTagMove,
            digestInDestination, tagged.Value);
    }

    /// <summary>The digest the reference resolves to, or null when the registry has no such manifest.</summary>
    /// <remarks>
    /// One request per (address, repository, reference) per plan: the source digest of an image bound for three
    /// destinations is asked once, not three times. A tag found on a digest also records that digest as present in
    /// its repository, so a later edge asking for it by digest (a tagless edge, another tag) sends nothing.
    /// <para>
    /// In the destination, a reference the registry answers with a 5xx (what an empty link file or a 0-byte manifest left
    /// by a crash gives on Distribution) counts as absent, so that it is written again, and is recorded in
    /// <see cref="PromotionPlan.Unserved"/> for the executor to report the repair. In the source, it is an error.
    /// </para>
    /// </remarks>
    private Task<Digest?> HeadAsync(Heads heads, ImageReference reference, CancellationToken cancellationToken, bool inDestination = false)
    {
        var repository = $"{registries.Resolve(reference.Registry).Address}/{reference.Repository}";
        var key = $"{repository}@{reference.ManifestReference}";
        return heads.GetOrAdd(key, _ => new Lazy<Task<Digest?>>(async () =>
        {
            var client = registries.For(reference.Registry);
            ManifestInfo? info;
            if (inDestination)
            {
                var (check, found) = await ServedContent.HeadManifestAsync(client, reference.Repository, reference.ManifestReference, cancellationToken);
                if (check.State == ServedState.Broken)
                {
                    heads.Unserved[key] = check.Problem!;
                    policy.Log?.Invoke(PromotionLogLevel.Warning,
                        $"destination {reference} is listed but not served ({check.Problem}); it will be written again");
                    return null;
                }
                info = found is { } d ? new ManifestInfo(d, "", -1) : null;
            }
            else
            {
                info = await client.HeadManifestAsync(reference.Repository, reference.ManifestReference, cancellationToken);
            }
            if (info is not null && reference.Digest is null)
                heads.TryAdd($"{repository}@{info.Digest.Value}", new Lazy<Task<Digest?>>(Task.FromResult<Digest?>(info.Digest)));
            return info?.Digest;
        })).Value;
    }
}
