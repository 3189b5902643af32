using Promoter.Promotion.Engine;

namespace Cake.ImagePromoter;

/// <summary>What <see cref="ImagePromoterAliases.PromoteImages(Cake.Core.ICakeContext, Cake.Core.IO.FilePath, PromoteImagesSettings)"/>
/// planned and did.</summary>
public sealed class PromoteImagesResult
{
    internal PromoteImagesResult(PromotionPlan plan, bool dryRun, PromotionCounts counts, IReadOnlyList<PlannedEdge> refused, bool lostIsRefused)
    {
        Plan = plan;
        DryRun = dryRun;
        Counts = counts;
        var refusedSet = refused.ToHashSet();
        EdgesPlanned = plan.Edges.Count;
        AlreadyPromoted = plan.Edges.Count(e => e.Decision == EdgeDecision.AlreadyPromoted);
        ToPromote = plan.Edges.Count(e => e.Writes && !refusedSet.Contains(e));
        Promoted = dryRun ? 0 : ToPromote;
        Lost = plan.Edges.Count(e => e.Decision == EdgeDecision.Lost && !lostIsRefused);
        Refused = refused.Select(e => new RefusedEdge(e.Edge.ToString(), e.Decision.ToString(), e.ToString())).ToList();
    }

    /// <summary>The key under which a refusal's <see cref="Cake.Core.CakeException"/> holds the result in its
    /// <see cref="Exception.Data"/>.</summary>
    public const string DataKey = "PromoteImagesResult";

    /// <summary>True when nothing was written because <see cref="PromoteImagesSettings.Confirm"/> was false.</summary>
    public bool DryRun { get; }

    /// <summary>Edges the plan decided (image edges and their attachments).</summary>
    public int EdgesPlanned { get; }

    /// <summary>Edges that write something (a copy, a new tag, a moved tag), refused ones left out.</summary>
    public int ToPromote { get; }

    /// <summary>Edges written: <see cref="ToPromote"/> after a confirmed run, 0 after a dry run or a refusal of the whole run.</summary>
    public int Promoted { get; }

    /// <summary>Edges the destinations already held.</summary>
    public int AlreadyPromoted { get; }

    /// <summary>Edges skipped with a warning because the source lacks their digest.</summary>
    public int Lost { get; }

    /// <summary>The refused edges with their reasons; empty when nothing was refused.</summary>
    public IReadOnlyList<RefusedEdge> Refused { get; }

    /// <summary>What was written: manifests, blobs uploaded, mounted and present, tags.</summary>
    public PromotionCounts Counts { get; }

    /// <summary>The whole plan (every edge's decision), from the library.</summary>
    public PromotionPlan Plan { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{EdgesPlanned} edge(s) planned: {(DryRun ? $"{ToPromote} to promote (dry run)" : $"{Promoted} promoted")}, " +
        $"{AlreadyPromoted} already there, {Refused.Count} refused, {Lost} lost";
}
