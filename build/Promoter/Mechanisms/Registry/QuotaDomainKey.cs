namespace Promoter.Registry;

/// <summary>
/// The quota domain a request counts against: requests of one domain share one rate limit and one cool-down
/// (<see cref="RegistryTransport"/>).
/// </summary>
/// <param name="Name">The domain's name, e.g. <c>fleet</c> (declared), <c>pkg.dev project k8s-artifacts-prod</c>,
/// <c>gcr.io project k8s-artifacts-prod</c>, or the host itself.</param>
/// <param name="Kind">What kind of domain it is.</param>
/// <param name="Declared">The declaration for <see cref="QuotaDomainKind.Declared"/>; null otherwise.</param>
public sealed record QuotaDomainKey(string Name, QuotaDomainKind Kind, QuotaDomain? Declared = null)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}
