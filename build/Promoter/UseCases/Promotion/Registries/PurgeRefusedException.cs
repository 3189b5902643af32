namespace Promoter.Promotion.Registries;

/// <summary>A purge was refused before anything was touched; <see cref="Exception.Message"/> has one line per refused registry.</summary>
public sealed class PurgeRefusedException(IReadOnlyList<string> refusals)
    : PromoterRefusalException(string.Join("\n", refusals))
{
    /// <summary>One line per refused registry, naming the registry and the rule.</summary>
    public IReadOnlyList<string> Refusals { get; } = refusals;
}
