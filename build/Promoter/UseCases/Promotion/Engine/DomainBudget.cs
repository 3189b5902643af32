using System.Globalization;
using Promoter.Registry;

namespace Promoter.Promotion.Engine;

/// <summary>The requests execution sends to one quota domain, and the time they need at its rate.</summary>
/// <param name="Limit">The domain and its rates (<see cref="RegistryTransport.LimitOf(string, string?)"/>).</param>
/// <param name="Requests">The requests execution is expected to send to it (see <see cref="EgressPlanner.Tally"/>).</param>
public sealed record DomainBudget(QuotaLimit Limit, long Requests)
{
    /// <summary>The shortest time the requests take at the domain's rate (zero when unlimited).</summary>
    public TimeSpan Time => Limit.TimeFor(Requests);

    /// <summary>One line, e.g. <c>quota domain fleet (30/s): 234 request(s) to execute, at least 8.2 s at its rate</c>.</summary>
    public override string ToString() => Limit.IsUnlimited
        ? $"quota domain {Limit.Domain.Name} (unlimited): {Requests} request(s) to execute"
        : string.Create(CultureInfo.InvariantCulture,
            $"quota domain {Limit.Domain.Name} ({Limit.Rates}): {Requests} request(s) to execute, at least {Time.TotalSeconds:0.0} s at its rate");
}
