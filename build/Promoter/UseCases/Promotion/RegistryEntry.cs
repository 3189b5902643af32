using Promoter.Yaml;
using Promoter.Registry;
namespace Promoter.Promotion;

/// <summary>
/// One entry of a promoter manifest's <c>registries</c> list (<c>manifests/README.md</c> §1).
/// </summary>
/// <param name="Name">A registry root plus an optional path prefix, e.g. <c>gcr.io/stg-proj/sub</c> or
/// <c>127.0.0.1:5000/k8s-staging/golden-foo</c>; see <see cref="RegistryPath"/>.</param>
/// <param name="ServiceAccount">The <c>service-account</c> value, or null when absent.</param>
/// <param name="Src">True for the source (staging) registry; every other entry is a destination.</param>
public sealed record RegistryEntry(string Name, string? ServiceAccount, bool Src)
{
    /// <summary>Where the entry was read from, when it came from a file.</summary>
    public SourceLocation? Location { get; init; }
}
