namespace Promoter.Promotion.Engine;

/// <summary>What the check and stop phases do with a plan, from its refusals and the policy.</summary>
public enum RunVerdict
{
    /// <summary>Refuse the whole run before any write (<see cref="PromotionRefusedException"/>).</summary>
    Refuse,
    /// <summary>A dry run with nothing refused: stop, successfully.</summary>
    StopDryRun,
    /// <summary>A dry run under <c>--isolate-edges</c> with refusals: stop and fail naming them (<see cref="EdgesRefusedException"/>).</summary>
    FailDryRun,
    /// <summary>Execute the plan.</summary>
    Execute,
    /// <summary>Execute the clean edges, then fail naming the refused ones (<see cref="EdgesRefusedException"/>).</summary>
    ExecuteThenFail,
}
