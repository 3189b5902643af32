using Promoter.Oci;

namespace Promoter.Promotion.Engine;

/// <summary>
/// Upstream CIP's promotion rules and this project's run rules as pure functions (<c>Promotion/README.md</c>): what each
/// edge needs given what the registries answered, which tags overlap, which questions a plan must still ask, and what the
/// run does with its refusals. The planners observe; these decide.
/// </summary>
public static class PromotionRules
{
    /// <summary>
    /// The decision for <paramref name="edge"/>: lost when the source lacks the digest; already promoted when the tag (or,
    /// tagless, the digest) is in place; add the tag when the digest is there; copy when it is not; and a tag on another
    /// digest is moved only when <paramref name="allowTagMoves"/>, else refused.
    /// </summary>
    public static PlannedEdge Decide(PromotionEdge edge, Digest digest, EdgeView view, bool allowTagMoves)
    {
        if (!view.SourcePresent) return new PlannedEdge(edge, EdgeDecision.Lost, false, null);
        var present = view.DigestPresent;
        if (edge.Tag is null || view.TagDigest == digest)
            return new PlannedEdge(edge, present ? EdgeDecision.AlreadyPromoted : EdgeDecision.Copy, present, null);
        if (view.TagDigest is null)
            return new PlannedEdge(edge, present ? EdgeDecision.AddTag : EdgeDecision.Copy, present, null);
        return new PlannedEdge(edge, allowTagMoves ? EdgeDecision.MoveTag : EdgeDecision.RefusedTagMove, present, view.TagDigest);
    }

    /// <summary>An edge whose destination tag another edge claims for <paramref name="otherDigest"/>: refused, without asking.</summary>
    public static PlannedEdge Overlap(PromotionEdge edge, string otherDigest) =>
        new(edge, EdgeDecision.RefusedOverlap, false, Digest.Parse(otherDigest));

    /// <summary>
    /// The edges whose destination tag another edge claims for another digest, each with one such other digest. One
    /// dictionary entry per destination tag (the first digest seen), and work beyond it only for the tags claimed twice:
    /// a plan of 300,000 edges has no room for a group object per tag.
    /// </summary>
    public static Dictionary<PromotionEdge, string> Overlaps(IReadOnlyList<PromotionEdge> edges)
    {
        var first = new Dictionary<(string, string, string), string>();
        HashSet<(string, string, string)>? contested = null;
        foreach (var edge in edges)
        {
            if (edge.Tag is not { } tag) continue;
            var key = (edge.DestinationRegistry, edge.DestinationImage, tag);
            if (!first.TryAdd(key, edge.Digest) && !string.Equals(first[key], edge.Digest, StringComparison.Ordinal))
                (contested ??= []).Add(key);
        }
        var claims = new Dictionary<PromotionEdge, string>();
        if (contested is null) return claims;
        var digests = edges.Where(e => e.Tag is { } tag && contested.Contains((e.DestinationRegistry, e.DestinationImage, tag)))
            .GroupBy(e => (e.DestinationRegistry, e.DestinationImage, e.Tag!));
        foreach (var group in digests)
            foreach (var edge in group)
                claims[edge] = group.First(o => !string.Equals(o.Digest, edge.Digest, StringComparison.Ordinal)).Digest;
        return claims;
    }

    /// <summary>
    /// Whether a destination group must still ask for its digest by a HEAD: not when a tag already answered it, nor when
    /// the destination repository holds nothing, else when some edge needs to know (a tagless edge, or a tag absent or on
    /// another digest).
    /// </summary>
    /// <remarks>
    /// A repository holds nothing when its tag listing answers 404 <c>NAME_UNKNOWN</c> and the registry's catalog does not
    /// list it: Distribution says <c>NAME_UNKNOWN</c> of a repository without tags, also one an interrupted run left
    /// manifests in, but lists that one in its catalog.
    /// </remarks>
    /// <param name="tagsOnDigest">A tag of the group answered the group's digest.</param>
    /// <param name="repositoryEmpty">The destination repository holds nothing (neither listed by tag nor in the catalog).</param>
    /// <param name="needers">For each edge of the group: true when it is tagless or its tag does not point at the digest.</param>
    public static bool NeedsDigestHead(bool tagsOnDigest, bool repositoryEmpty, IEnumerable<bool> needers) =>
        !tagsOnDigest && !repositoryEmpty && needers.Any(n => n);

    /// <summary>
    /// Whether the plan lists a destination repository's tags instead of asking the rest one by one: after a tag answered
    /// 404, when two or more tags are still to ask and the repository was not listed yet (a listing is one request; each
    /// tag it lacks is absent without a HEAD).
    /// </summary>
    public static bool ListTags(Digest? answer, int stillToAsk, bool listed) => answer is null && stillToAsk >= 2 && !listed;

    /// <summary>What the run does with <paramref name="refused"/> refused edges under the policy's isolation and confirmation.</summary>
    public static RunVerdict Verdict(int refused, bool isolate, bool confirm) => (refused > 0, isolate, confirm) switch
    {
        (true, false, _) => RunVerdict.Refuse,
        (true, true, false) => RunVerdict.FailDryRun,
        (true, true, true) => RunVerdict.ExecuteThenFail,
        (false, _, false) => RunVerdict.StopDryRun,
        (false, _, true) => RunVerdict.Execute,
    };
}
