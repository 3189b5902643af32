using Promoter.Promotion;
using Promoter.Yaml;

namespace Promoter.E2E;

/// <summary>One <c>snapshots</c> entry of an e2e test: a registry path and its expected contents before and after promotion.</summary>
/// <param name="Name">The registry name given to <c>--snapshot</c>, e.g. <c>us.gcr.io/prod-root/golden-foo</c>.</param>
/// <param name="Before">The expected snapshot after seeding, before promotion.</param>
/// <param name="After">The expected snapshot after promotion.</param>
public sealed record E2ESnapshot(string Name, Snapshot Before, Snapshot After)
{
    /// <summary>Where the snapshot entry was read from (its <c>name</c> key).</summary>
    public SourceLocation? Location { get; init; }
}
