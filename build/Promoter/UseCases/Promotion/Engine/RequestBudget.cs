using Promoter.Registry;

namespace Promoter.Promotion.Engine;

/// <summary>
/// The execute phase's request budget and count, printed in one place: <see cref="Before"/> gives the requests the plan
/// says execution will send for manifests and tags (<see cref="PromotionPlan.ManifestRequests"/>; blobs and the children
/// of an index come on top, known only once the source manifests are read), <see cref="After"/> the requests the run's
/// registry clients actually sent meanwhile (<see cref="RegistryPool.RequestsSent"/>: retries and auth challenges
/// included). A transport with its own counters replaces the count by changing <see cref="Start"/>'s source only.
/// </summary>
public sealed class RequestBudget
{
    private readonly PromotionPlan _plan;
    private readonly Func<long> _sent;
    private readonly long _start;

    private RequestBudget(PromotionPlan plan, Func<long> sent, int planned)
    {
        _plan = plan;
        _sent = sent;
        _start = sent();
        Planned = planned;
    }

    /// <summary>
    /// Starts counting the requests <paramref name="registries"/> send from now on, for executing <paramref name="plan"/>;
    /// the budget groups destination repositories by resolved address, as execution does.
    /// </summary>
    public static RequestBudget Start(PromotionPlan plan, RegistryPool registries) =>
        new(plan, () => registries.RequestsSent, plan.ManifestRequestsFor(registry => registries.Resolve(registry).Address));

    /// <summary>The planned manifest and tag requests (a floor of the total).</summary>
    public int Planned { get; }

    /// <summary>Requests sent since <see cref="Start"/>.</summary>
    public long Sent => _sent() - _start;

    /// <summary>The line printed before executing, e.g.
    /// <c>request budget: 9 manifest and tag request(s) for 1 copy and 2 tag(s), plus blob and child-manifest requests</c>.</summary>
    public string Before() =>
        $"request budget: {Planned} manifest and tag request(s) for {_plan.Copies.Count} cop{(_plan.Copies.Count == 1 ? "y" : "ies")} " +
        $"and {_plan.Tags.Count} tag(s), plus blob and child-manifest requests";

    /// <summary>
    /// The closing report's lines after executing: the egress the plan counted per destination registry, and per quota
    /// domain the requests the plan expected beside those the run's transport sent (plan phase included), its 429s and
    /// the time spent waiting for its limit.
    /// </summary>
    public static IEnumerable<string> Report(PromotionPlan plan, RegistryPool registries)
    {
        foreach (var egress in plan.Egress) yield return $"sent: {egress}";
        var sent = registries.Transport.Domains().ToDictionary(d => d.Limit.Domain.Name, StringComparer.Ordinal);
        foreach (var budget in plan.DomainBudgets)
        {
            if (!sent.TryGetValue(budget.Limit.Domain.Name, out var traffic)) continue;
            yield return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"quota domain {budget.Limit.Domain.Name} ({budget.Limit.Rates}): {traffic.Requests} request(s) sent in the run (planned {budget.Requests} to execute), " +
                $"{traffic.TooManyRequests} x 429, {traffic.LimiterWait.TotalSeconds:0.0} s waited in its limit");
        }
    }

    /// <summary>The line printed after executing, e.g. <c>requests sent: 14 (budget 9 for manifests and tags; 5 for blobs, children and retries)</c>.</summary>
    public string After()
    {
        var sent = Sent;
        return $"requests sent: {sent} (budget {Planned} for manifests and tags; {sent - Planned} for blobs, children and retries)";
    }
}
